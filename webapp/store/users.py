"""Accounts: users with a role, their API tokens, failed sign-ins (the login limiter), and
the one-time set-up tokens of a fresh install.

The tables live here rather than in :mod:`webapp.models` because nothing else
joins them; they share its ``Base``, so :mod:`webapp.schema` creates them (and
adds their later columns) like every other table.

Passwords are kept as werkzeug scrypt hashes. API tokens are 256-bit random
strings, so a plain SHA-256 of each is enough to find it and cannot be
reversed; the token itself is shown once, when made, and never stored. Set-up
tokens are kept the same way, in the store rather than in one process's
memory, so every web worker of an install accepts the link any of them printed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    true,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from geo.errors import InputError
from webapp.models import Base
from webapp.store.base import StoreBase
from webapp.store.records import _now, storable

ROLES = ("admin", "editor", "viewer")
SCOPES = ("read", "write")
NAME = re.compile(r"[\w.@-]{1,64}")
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
TOKEN_PREFIX = "kh_"


class UserRow(Base):
    """A person who signs in: a unique name, a password hash, a role, and whether active."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created: Mapped[datetime] = mapped_column(DateTime)


class TokenRow(Base):
    """An API token of a user: its SHA-256, a label and a scope (``read`` or ``write``)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    scope: Mapped[str] = mapped_column(String(8))
    created: Mapped[datetime] = mapped_column(DateTime)


class LoginFailureRow(Base):
    """One failed sign-in, by name and by address: what the limiter counts."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class SetupTokenRow(Base):
    """The SHA-256 of a set-up token printed at a start while no user existed."""

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime)


class AccountError(InputError):
    """A user name, role, scope or password the store cannot accept (HTTP 400)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UserRecord:
    """A stored user, without the password hash (``session_key`` changes with it)."""

    id: int
    name: str
    role: str
    active: bool
    created: datetime
    session_key: str  # digest of the password hash: a new password ends old sessions


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRecord:
    """An API token as listed (never the token itself) and the user it acts for."""

    id: int
    user: UserRecord
    label: str
    scope: str
    created: datetime


def check_name(name: str) -> str:
    """Return ``name`` if it can name a user, else raise :class:`AccountError`."""
    if not NAME.fullmatch(name or ""):
        raise AccountError(f"name: use 1 to 64 letters, digits, '.', '_', '-' or '@'; "
                           f"got {name[:80]!r}")
    return name


def check_password(password: str) -> str:
    """Return ``password`` if long enough (and not absurdly long), else raise AccountError."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD or not storable(password):
        raise AccountError(f"password: use {MIN_PASSWORD} to {MAX_PASSWORD} characters "
                           f"(got {len(password)})")
    return password


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise AccountError(f"{field}: expected one of {', '.join(allowed)}, got {value[:40]!r}")
    return value


@cache
def _dummy_hash() -> str:
    """A hash checked when the name is unknown, so a wrong name takes as long as a wrong
    password (made on first use: a scrypt hash costs ~0.1 s)."""
    return generate_password_hash("not a password", method="scrypt")


def token_digest(token: str) -> str:
    """The stored form of an API or set-up token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user_record(row: UserRow) -> UserRecord:
    key = hashlib.blake2b(row.password_hash.encode(), digest_size=8).hexdigest()
    return UserRecord(id=row.id, name=row.name, role=row.role, active=row.active,
                      created=row.created, session_key=key)


class UserStore(StoreBase):
    """Add, list, disable and check users; make, find and revoke their tokens."""

    def add_user(self, name: str, password: str, role: str) -> UserRecord:
        """Store a new active user (AccountError if the name is taken or a field is bad)."""
        row = UserRow(name=check_name(name), role=_choice("role", role, ROLES),
                      password_hash=generate_password_hash(check_password(password),
                                                           method="scrypt"),
                      active=True, created=_now())
        try:
            with self.session.begin() as session:
                session.add(row)
        except IntegrityError:
            raise AccountError(f"name: a user {name!r} already exists") from None
        return _user_record(row)

    def add_first_admin(self, name: str, password: str) -> UserRecord | None:
        """Store an active admin only if no user exists yet; None if one already does.

        One ``INSERT ... SELECT ... WHERE NOT EXISTS`` statement, so two set-up
        forms sent at once on SQLite cannot both make an admin.
        """
        digest = generate_password_hash(check_password(password), method="scrypt")
        values = select(literal(check_name(name)), literal("admin"), literal(digest),
                        literal(True), literal(_now())).where(~exists(select(UserRow.id)))
        statement = insert(UserRow).from_select(
            ["name", "role", "password_hash", "active", "created"], values).returning(UserRow.id)
        with self.session.begin() as session:
            made = session.scalar(statement)
            if made is None:
                return None
            session.execute(delete(SetupTokenRow))  # the set-up links die with the first user
            return _user_record(session.get_one(UserRow, made))

    def issue_setup_token(self, *, replace: bool = False) -> str | None:
        """Make and store a set-up token if no user exists; return it (None once one does).

        Each start adds one and every stored token works: the workers of one
        install start at once and cannot tell a sibling from an earlier start.
        ``replace=True`` first drops the earlier ones, for a server that knows
        it is the install's only web process (``kharita serve``). The first
        admin removes them all (:meth:`add_first_admin`).
        """
        if self.count_users() > 0:
            return None
        token = secrets.token_urlsafe(32)
        with self.session.begin() as session:
            if replace:
                session.execute(delete(SetupTokenRow))
            session.add(SetupTokenRow(digest=token_digest(token), created=_now()))
        return token

    def check_setup_token(self, token: str) -> bool:
        """Whether ``token`` is a stored set-up token (compared in constant time)."""
        given = token_digest(token)
        with self.session() as session:
            digests = list(session.scalars(select(SetupTokenRow.digest)))
        return any([hmac.compare_digest(given, digest) for digest in digests])

    def count_users(self) -> int:
        """Return how many users exist (active or not); every request of a restricted
        install asks, so one statement outside a transaction."""
        with self.reader.connect() as connection:
            return connection.scalar(select(func.count()).select_from(UserRow)) or 0

    def list_users(self) -> list[UserRecord]:
        """Return every user, by name."""
        with self.session() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.name))
            return [_user_record(row) for row in rows]

    def get_user(self, user_id: int) -> UserRecord | None:
        """Return one user by id, or None."""
        with self.session() as session:
            row = session.get(UserRow, user_id)
            return _user_record(row) if row else None

    def set_user_active(self, name: str, active: bool) -> UserRecord | None:
        """Enable or disable a user (None if unknown); a disabled user's tokens stop working."""
        with self.session.begin() as session:
            row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
            if row is None:
                return None
            row.active = active
            return _user_record(row)

    def delete_user(self, name: str) -> UserRecord | None:
        """Delete a user and their tokens (None if unknown); refuse the last active admin.

        Revisions name their author as text (:class:`~webapp.models.RevisionRow`),
        so the history keeps showing who saved what after the account is gone.
        """
        with self.session.begin() as session:
            row = session.scalars(select(UserRow).where(UserRow.name == name)).first() \
                if storable(name) else None
            if row is None:
                return None
            if row.role == "admin" and row.active and not session.scalar(
                    select(exists().where(UserRow.role == "admin", UserRow.active.is_(True),
                                          UserRow.id != row.id))):
                raise AccountError(f"{name} is the last active admin; make another admin "
                                   f"before deleting this one")
            record = _user_record(row)
            session.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
            session.delete(row)
            return record

    def set_password(self, user_id: int, password: str) -> UserRecord | None:
        """Give a user a new password (None if unknown): their other sessions end with it."""
        digest = generate_password_hash(check_password(password), method="scrypt")
        with self.session.begin() as session:
            row = session.get(UserRow, user_id)
            if row is None:
                return None
            row.password_hash = digest
            return _user_record(row)

    def authenticate(self, name: str, password: str) -> UserRecord | None:
        """Return the active user with this name and password, else None (same time either way)."""
        with self.session() as session:
            row = session.scalars(select(UserRow).where(UserRow.name == name)).first() \
                if storable(name) else None
        if row is None:
            check_password_hash(_dummy_hash(), password)
            return None
        if not check_password_hash(row.password_hash, password) or not row.active:
            return None
        return _user_record(row)

    def add_token(self, user_id: int, scope: str, label: str = "") -> tuple[str, TokenRecord]:
        """Make a token for a user; return it (shown once) with its record."""
        _choice("scope", scope, SCOPES)
        if not storable(label):
            raise AccountError("label: contains a NUL character; remove it")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.session.begin() as session:
            user = session.get(UserRow, user_id)
            if user is None:
                raise AccountError(f"user: no user with id {user_id}")
            row = TokenRow(user_id=user_id, digest=token_digest(token), label=label[:100],
                           scope=scope, created=_now())
            session.add(row)
            session.flush()
            return token, TokenRecord(id=row.id, user=_user_record(user), label=row.label,
                                      scope=scope, created=row.created)

    def list_tokens(self, user_id: int) -> list[TokenRecord]:
        """Return a user's tokens, newest first."""
        query = (select(TokenRow, UserRow).join(UserRow, TokenRow.user_id == UserRow.id)
                 .where(TokenRow.user_id == user_id).order_by(TokenRow.id.desc()))
        with self.session() as session:
            return [TokenRecord(id=t.id, user=_user_record(u), label=t.label, scope=t.scope,
                                created=t.created) for t, u in session.execute(query)]

    def find_token(self, token: str) -> TokenRecord | None:
        """Return the token record of an active user's token, or None."""
        query = (select(TokenRow, UserRow).join(UserRow, TokenRow.user_id == UserRow.id)
                 .where(TokenRow.digest == token_digest(token), UserRow.active.is_(True)))
        with self.session() as session:
            found = session.execute(query).first()
        if found is None:
            return None
        row, user = found
        return TokenRecord(id=row.id, user=_user_record(user), label=row.label, scope=row.scope,
                           created=row.created)

    def revoke_token(self, user_id: int, token_id: int) -> bool:
        """Delete one of a user's tokens; return whether it existed."""
        with self.session.begin() as session:
            row = session.get(TokenRow, token_id)
            if row is None or row.user_id != user_id:
                return False
            session.delete(row)
        return True

    def count_failures(self, key: str, window: timedelta) -> int:
        """Return the failed sign-ins under ``key`` within ``window``."""
        query = select(func.count()).select_from(LoginFailureRow).where(
            LoginFailureRow.key == key, LoginFailureRow.at >= _now() - window)
        with self.session() as session:
            return session.scalar(query) or 0

    def add_failure(self, keys: list[str], window: timedelta) -> None:
        """Record a failed sign-in under each key, dropping failures older than ``window``."""
        now = _now()
        with self.session.begin() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < now - window))
            session.add_all([LoginFailureRow(key=key[:200], at=now) for key in keys])

    def clear_failures(self, key: str) -> None:
        """Forget the failed sign-ins under ``key`` (after a successful one)."""
        with self.session.begin() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))
