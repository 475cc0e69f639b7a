"""Sign-in throttling: who is slowed down, and why it cannot be turned against the people it protects.

The policy:

- Only refused credentials count (the sign-in page answers 401). A success, a form error, and above all
  a 429 (the limit itself answering) cost nothing, so a blocked client's retries never extend its block:
  it lifts one window after the last wrong password.
- Per client address (LOGIN_LIMIT_PER_IP, 30 per 5 minutes) caps how fast one address guesses, across
  usernames. The address is the connecting peer or, behind a proxy listed in TRUSTED_PROXIES, the client
  that proxy reports (app.security.TrustedProxies); an X-Forwarded-For from anyone else is ignored, so
  neither a direct client nor one behind the proxy can pick the address its failures count against.
- Per username *and* address (LOGIN_LIMIT_PER_USERNAME, 10 per 5 minutes) caps guessing at one account
  from one address. The address is part of the key on purpose: failures against a username from an
  attacker's addresses never block its owner signing in from theirs. There is no account-wide lock,
  since it would let anyone who knows a username keep its owner out for as long as they kept trying; a
  spray from many addresses is bounded instead by each address's own limit, by argon2's cost and by the
  minimum password length.
- A successful sign-in clears the failures counted against that username from that address, so a few
  typos before it do not leave the user one typo from a block.
- The counts live in the limiter's storage: Redis in production (REDIS_URL; config.ProdConfig refuses to
  start without it), so every gunicorn worker sees the same counts.
"""

from flask import request

from app.auth.models import normalise_username
from app.extensions import client_ip, limiter

USERNAME_KEY = "login-user"


def failed_sign_in(response) -> bool:
    """deduct_when for the sign-in limits: only refused credentials count."""
    return response.status_code == 401


def username_key() -> str:
    """The per-username limit's key: the normalised username typed, from this client address."""
    return f"{USERNAME_KEY}:{client_ip()}:{normalise_username(request.form.get('username', ''))}"


def forget_failures() -> None:
    """After a successful sign-in: clear the failures counted against this username from this address."""
    for request_limit in limiter.current_limits:
        if any(str(arg).startswith(f"{USERNAME_KEY}:") for arg in request_limit.request_args):
            limiter.limiter.clear(request_limit.limit, *request_limit.request_args)
