"""Signing users in and out (Flask-Login sessions) and limiting failed sign-ins.

A session holds the user's id and a digest of their password hash
(:attr:`~webapp.store.users.UserRecord.session_key`): a new password, or a
disabled account, ends every session at its next request.

The limiter counts failed sign-ins in the store (so every server worker sees
the same count, with no extra service): after ``LOGIN_ATTEMPTS`` failures
within ``LOGIN_WINDOW`` seconds for one user name, or ten times that from one
address, sign-in is refused with a 429 until the oldest failure ages out. A
success clears the name's count.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, request
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from webapp.store import get_store
from webapp.store.users import UserRecord, check_password

login_manager = LoginManager()
#: How many more failures one address may make than one user name (a shared office address).
ADDRESS_FACTOR = 10


class SignInError(Exception):
    """Wrong name or password, or a disabled account (the message does not say which)."""


class TooManyAttemptsError(Exception):
    """Too many failed sign-ins recently (HTTP 429); ``retry_after`` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SessionUser(UserMixin):
    """The Flask-Login face of a stored user."""

    def __init__(self, record: UserRecord) -> None:
        self.record = record

    def get_id(self) -> str:
        """The session's user id: the id and the password hash's digest."""
        return f"{self.record.id}:{self.record.session_key}"


def load_user(session_id: str) -> SessionUser | None:
    """Return the session's user if it still exists, is active and has the same password."""
    user_id, _, key = session_id.partition(":")
    if not user_id.isdigit():
        return None
    record = get_store().get_user(int(user_id))
    if record is None or not record.active or record.session_key != key:
        return None
    return SessionUser(record)


def signed_in_user() -> UserRecord | None:
    """The user of the current session, or None."""
    user = current_user
    return user.record if isinstance(user, SessionUser) else None


def _window() -> timedelta:
    return timedelta(seconds=int(current_app.config["LOGIN_WINDOW"]))


def _keys(name: str) -> tuple[str, str]:
    # a stored key holds no NUL (PostgreSQL refuses it) and stays short: names are 64 at most
    clean = name.casefold().replace("\x00", "")[:100]
    return f"name:{clean}", f"address:{request.remote_addr or '-'}"


def check_limit(name: str) -> None:
    """Raise :class:`TooManyAttemptsError` if ``name`` or this address failed too often."""
    limit, window = int(current_app.config["LOGIN_ATTEMPTS"]), _window()
    by_name, by_address = _keys(name)
    store = get_store()
    if store.count_failures(by_name, window) >= limit or \
            store.count_failures(by_address, window) >= limit * ADDRESS_FACTOR:
        seconds = int(window.total_seconds())
        raise TooManyAttemptsError(
            f"Too many failed sign-ins; wait {max(1, seconds // 60)} minutes and try again.",
            seconds)


def sign_in_user(name: str, password: str) -> UserRecord:
    """Check the limiter and the password, then start the user's session."""
    check_limit(name)
    store = get_store()
    user = store.authenticate(name, password)
    by_name, by_address = _keys(name)
    if user is None:
        store.add_failure([by_name, by_address], _window())
        raise SignInError("wrong name or password, or a disabled account")
    store.clear_failures(by_name)
    login_user(SessionUser(user))
    return user


def scopes_for(user: UserRecord) -> tuple[str, ...]:
    """The token scopes ``user`` may make: a viewer reads only."""
    return ("read",) if user.role == "viewer" else ("read", "write")


def start_session(user: UserRecord) -> None:
    """Sign ``user`` in on this request's session (a user just made, as by ``/setup``)."""
    login_user(SessionUser(user))


def change_password(user: UserRecord, current: str, new: str) -> UserRecord:
    """Check ``current`` like a sign-in (limiter included), set ``new``, and renew this
    session, so that only the user's other sessions end."""
    check_password(new)
    sign_in_user(user.name, current)
    changed = get_store().set_password(user.id, new)
    if changed is None:
        raise SignInError("this account no longer exists")
    login_user(SessionUser(changed))
    return changed


def sign_out_user() -> None:
    """End the user's session (a no-op without one)."""
    logout_user()


def init_app(app: Flask) -> None:
    """Install Flask-Login with the store's users (no remember-me cookie)."""
    login_manager.user_loader(load_user)
    login_manager.init_app(app)
