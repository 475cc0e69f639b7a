"""Security headers on every response."""

from flask import Response, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
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
)


def set_security_headers(response: Response) -> Response:
    """after_request: CSP, nosniff, referrer policy, framing, and no-store for signed-in pages and the API."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static" and (request.path.startswith("/api/") or current_user.is_authenticated):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response
