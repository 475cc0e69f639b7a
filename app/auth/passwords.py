"""Password hashing with argon2id; parameters come from the app config."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10
# Verified against when the username is unknown, so both failures cost the same time.
_DUMMY_PASSWORD = "touchstone-timing-equaliser"


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no hash, spend the same time and say no."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or hasher.hash(_DUMMY_PASSWORD), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
