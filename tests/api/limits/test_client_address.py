"""The client address for per-IP limits: X-Forwarded-For only from a trusted proxy; IPv6 counted per /64."""

from __future__ import annotations

import ipaddress

import pytest
from starlette.requests import Request

from api.limits import client_address, limit_key

PROXIES = [ipaddress.ip_network("10.0.0.0/8")]


def request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": (peer, 4000)})


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_claims() -> None:
    assert client_address(request("203.0.113.9", "198.51.100.1"), []) == "203.0.113.9"


def test_an_untrusted_peer_cannot_choose_its_address() -> None:
    assert client_address(request("203.0.113.9", "198.51.100.1"), PROXIES) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client() -> None:
    # The client sent a forged first hop; our proxies appended what they saw.
    forged = request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3")
    assert client_address(forged, PROXIES) == "198.51.100.7"
    assert client_address(request("10.0.0.2", "198.51.100.7", "10.0.0.3"), PROXIES) == "198.51.100.7"


def test_a_malformed_hop_falls_back_to_the_peer() -> None:
    assert client_address(request("10.0.0.2", "not-an-address"), PROXIES) == "10.0.0.2"


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("testclient", "testclient"),
    ],
)
def test_limit_keys(address: str, key: str) -> None:
    assert limit_key(address) == key
