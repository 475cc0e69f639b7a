"""Security headers on every response."""

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
