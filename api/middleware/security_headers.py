"""Security headers on every response: a strict CSP (no inline script), framing by an allow-list, HSTS in
production."""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# 'self', 'none', or an http(s) origin (a host, optionally a port; no path, no wildcard).
FRAME_SOURCE = re.compile(r"^('self'|'none'|https?://[A-Za-z0-9.-]+(:\d{1,5})?)$")
# Staff screens and the API docs are never framed, whatever the brand pages allow (clickjacking on sign-offs).
NEVER_FRAMED = ("/staff", "/api/")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(frame_ancestors: Sequence[str]) -> str:
    """The policy of every page: scripts and styles from this origin only, nothing inline."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {' '.join(frame_ancestors)}",
        ]
    )


def check_frame_ancestors(sources: Sequence[str]) -> list[str]:
    """The sources of the FRAME_ANCESTORS setting, refused if any is not 'self', 'none' or an origin."""
    bad = [s for s in sources if not FRAME_SOURCE.match(s)]
    if bad or not sources or ("'none'" in sources and len(sources) > 1):
        raise ValueError("FRAME_ANCESTORS: use 'self', 'none' or origins like https://brand.example")
    return list(sources)


def _frame_options(frame_ancestors: Sequence[str]) -> str | None:
    # X-Frame-Options cannot express an allow-list: sent only when it says the same as the CSP.
    only = frame_ancestors[0] if len(frame_ancestors) == 1 else None
    return {"'self'": "SAMEORIGIN", "'none'": "DENY"}.get(only or "")


class SecurityHeaders:
    """Adds the headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, frame_ancestors: Sequence[str], production: bool) -> None:
        self.app = app
        ancestors = check_frame_ancestors(frame_ancestors)
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", PERMISSIONS_POLICY.encode()),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if production:
            common.append((b"strict-transport-security", HSTS.encode()))
        self.framed = self._with_frame(common, ancestors)
        self.unframed = self._with_frame(common, ["'none'"])

    @staticmethod
    def _with_frame(common: list[tuple[bytes, bytes]], ancestors: Sequence[str]) -> list[tuple[bytes, bytes]]:
        headers = [*common, (b"content-security-policy", content_security_policy(ancestors).encode())]
        if (options := _frame_options(ancestors)) is not None:
            headers.append((b"x-frame-options", options.encode()))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = self.unframed if path.startswith(NEVER_FRAMED) else self.framed

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)
