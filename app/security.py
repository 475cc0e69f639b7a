"""Security headers on every response, and which proxies may tell us who the client is."""

from ipaddress import ip_address, ip_network

from flask import Response, current_app, g, request
from flask_login import current_user

_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]
CONTENT_SECURITY_POLICY = "; ".join(_POLICY)
# plotly.js styles its SVG through style attributes and a <style> element it creates; pages with charts
# allow inline styles (never inline script) so the charts draw without CSP violations.
CHART_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def allow_chart_styles() -> None:
    """Mark this response as a chart page (see CHART_SECURITY_POLICY)."""
    g.chart_page = True


def set_security_headers(response: Response) -> Response:
    """after_request: CSP, nosniff, referrer policy, framing, HSTS where configured, and no-store for
    signed-in pages and the API."""
    headers = response.headers
    policy = CHART_SECURITY_POLICY if g.get("chart_page") else CONTENT_SECURITY_POLICY
    headers.setdefault("Content-Security-Policy", policy)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HSTS_MAX_AGE"):
        headers["Strict-Transport-Security"] = (
            f"max-age={current_app.config['HSTS_MAX_AGE']}; includeSubDomains"
        )
    if request.endpoint != "static" and (request.path.startswith("/api/") or current_user.is_authenticated):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


class TrustedProxies:
    """WSGI middleware: X-Forwarded-For and X-Forwarded-Proto are believed only from TRUSTED_PROXIES.

    When the connecting peer (REMOTE_ADDR) is a trusted proxy, the client is the rightmost X-Forwarded-For
    address that is not itself a trusted proxy: each proxy appends the address it saw, so everything left of
    that is the client's own say-so. An entry that is not a bare IP address is not believed (the proxy's
    address stays). The scheme is the nearest proxy's X-Forwarded-Proto. From any other peer both headers are
    ignored, so a client that reaches the app directly cannot choose the address its limits count against.

    This is Werkzeug's ProxyFix with trust decided by the peer's address rather than by a hop count: a hop
    count believes the header from whoever connects, proxy or not.
    """

    def __init__(self, wsgi_app, proxies) -> None:
        self.wsgi_app = wsgi_app
        self.networks = tuple(ip_network(str(proxy).strip(), strict=False) for proxy in proxies)

    def _is_proxy(self, address: str) -> bool:
        parsed = _ip_or_none(address)
        return parsed is not None and any(parsed in network for network in self.networks)

    def client_address(self, peer: str, forwarded_for: str) -> str:
        """The client's address for a request that came from the trusted proxy `peer`."""
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self._is_proxy(hop):
                return hop if _ip_or_none(hop) is not None else peer
        return hops[0] if hops else peer  # only proxies on the way: the request is a proxy's own

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        if self._is_proxy(peer):
            environ["touchstone.proxy_peer"] = peer
            environ["REMOTE_ADDR"] = self.client_address(peer, environ.get("HTTP_X_FORWARDED_FOR", ""))
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
        return self.wsgi_app(environ, start_response)


def _ip_or_none(text: str):
    try:
        return ip_address(text.strip())
    except ValueError:
        return None
