"""Who may talk to the preview: requests naming its own address, from its own pages or typed in by hand.

A web page elsewhere can make the browser reach a server on this computer: by DNS rebinding (a name
of the attacker's that resolves to 127.0.0.1, so the browser lets the page read the answers) or by
plain links and forms (each download renders a brief). So every request must name, in its Host
header, an address the server was bound to, with its port; and a request another site's page made
(`Sec-Fetch-Site`, or an `Origin` that is not this server) is refused with 403.
"""

from __future__ import annotations

import socket

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["Guard", "allowed_hosts"]

_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
_OWN_PAGES = frozenset({"same-origin", "none"})
"""`Sec-Fetch-Site` values of a request from the preview's own pages, or typed or bookmarked by the user."""


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Return the Host header values naming a server bound to `host`:`port` (loopback names always; this
    computer's name as well when bound to every address)."""
    names = {*_LOOPBACK, _bracketed(host)}
    if _everywhere(host):
        names |= {socket.gethostname(), socket.getfqdn()}
    hosts = {f"{name}:{port}".lower() for name in names}
    return frozenset(hosts | ({name.lower() for name in names} if port == 80 else set()))


class Guard:
    """ASGI middleware refusing requests that name another host or come from another site's page."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self.app, self.hosts = app, allowed_hosts(host, port)
        self.home = f"http://{'127.0.0.1' if _everywhere(host) else _bracketed(host)}:{port}/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reason = self.refusal(Headers(scope=scope)) if scope["type"] == "http" else None
        if reason is None:
            await self.app(scope, receive, send)
        else:
            await PlainTextResponse(reason, status_code=403)(scope, receive, send)

    def refusal(self, headers: Headers) -> str | None:
        """Return why a request with `headers` is refused, or None to answer it."""
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return f"refused: this preview answers only at its own address ({self.home}), not as {host!r}\n"
        site, origin = headers.get("sec-fetch-site"), headers.get("origin")
        if (site is not None and site not in _OWN_PAGES) or (origin is not None and origin.lower() != f"http://{host}"):
            return f"refused: another site's page asked for this; open http://{host}/ in the browser yourself\n"
        return None


def _everywhere(host: str) -> bool:
    """Whether `host` binds every address of this computer."""
    return host in ("0.0.0.0", "::", "")


def _bracketed(host: str) -> str:
    """Return `host` as a Host header names it (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host
