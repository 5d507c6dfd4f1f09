"""Who the client is, for per-IP limits: the socket's peer, or X-Forwarded-For behind a trusted proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# One IPv6 subscriber usually holds a whole /64: counting single addresses would let it rotate past a limit.
IPV6_PREFIX = 64


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in proxies)


def client_address(request: Request, trusted_proxies: Sequence[Network]) -> str:
    """The client's address; X-Forwarded-For counts only from a trusted proxy (anyone can send one)."""
    peer = request.client.host if request.client else ""
    if not trusted_proxies or not _trusted(peer, trusted_proxies):
        return peer
    hops = [hop.strip() for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    hops = [hop for hop in hops if hop]
    # Each proxy appends the address it saw: right to left, the first hop that is not ours is the client.
    for hop in reversed(hops):
        if _trusted(hop, trusted_proxies):
            continue
        return hop if _parse(hop) is not None else peer
    return hops[0] if hops else peer


def limit_key(address: str) -> str:
    """The key an address is counted under: the address itself, or its /64 for IPv6."""
    parsed = _parse(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed) if parsed is not None else address
