"""Who may see and change what: the caller's side of the one visibility rule.

A caller has a **role** (:func:`current_role`): ``admin`` (manages users),
``editor`` (creates, corrects, publishes), ``viewer`` (reads drafts), or none
(anonymous). It comes from, in order:

* ``Authorization: Bearer <token>``: the deployment token ``API_TOKEN`` is an
  admin (full rights); a user's API token acts for that user, as a viewer when
  its scope is ``read``. A token that is wrong, revoked, or whose user is
  disabled makes the caller anonymous.
* A user signed in with name and password (a Flask-Login session,
  :mod:`webapp.accounts`).
* An open install, with no ``API_TOKEN`` and no user yet: everyone is an admin
  (a single-user install on 127.0.0.1; ``make run`` works at once).
* The owner signed in with the deployment token (the session holds a digest of
  the token, so changing it ends the session): an admin.

Any role reads drafts and private things; editors and admins write
(:func:`can_edit`). For anyone else the store answers as if drafts did not
exist (:mod:`webapp.store`, the one place the rule is applied), so views answer
404 and draft ids do not leak. Once a user exists, new documents and maps start
as drafts (:func:`new_is_public`).

Every state-changing form carries a CSRF token (Flask-WTF's ``CSRFProtect``);
the JSON API is exempt because it takes only ``application/json`` bodies, which
a cross-site page cannot send without a CORS preflight this server never grants.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import Forbidden

from webapp import accounts
from webapp.auth import AuthError, bearer_token
from webapp.store import get_store
from webapp.store.users import UserRecord

SESSION_KEY = "owner"
SECRET_FILE = "secret_key"
EDITORS = frozenset({"admin", "editor"})
csrf = CSRFProtect()


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: a role (None: anonymous), the user if any, and how they proved it."""

    role: str | None
    user: UserRecord | None = None
    bearer: bool = False  # identified by an Authorization header rather than the session
    scope: str | None = None  # a user's API token: its scope


ANONYMOUS = Caller(None)
OWNER = Caller("admin")


def token_configured() -> bool:
    """Whether the deployment has its own token ``API_TOKEN``."""
    return bool(current_app.config.get("API_TOKEN"))


def accounts_exist() -> bool:
    """Whether any user account exists (then new things are drafts and the install is closed)."""
    if "kharita_accounts" not in g:
        g.kharita_accounts = get_store().count_users() > 0
    return bool(g.kharita_accounts)


def restricted() -> bool:
    """Whether callers must prove who they are (a deployment token or accounts exist)."""
    return token_configured() or accounts_exist()


def _token_digest(token: str) -> str:
    return hashlib.blake2b(token.encode("utf-8"), digest_size=16).hexdigest()


def caller() -> Caller:
    """The current caller (worked out once per request)."""
    if "kharita_caller" not in g:
        g.kharita_caller = _identify()
    return g.kharita_caller  # type: ignore[no-any-return]


def _identify() -> Caller:
    header = request.headers.get("Authorization")
    if header:
        return _from_bearer(header)
    user = accounts.signed_in_user()  # no query unless the session names a user
    if user is not None:
        return Caller(user.role, user)
    if not restricted():
        return OWNER
    deployment = current_app.config.get("API_TOKEN")
    signed = session.get(SESSION_KEY)
    if deployment and isinstance(signed, str) and hmac.compare_digest(
            signed, _token_digest(deployment)):
        return OWNER
    return ANONYMOUS


def _from_bearer(header: str) -> Caller:
    try:
        given = bearer_token(header)
    except AuthError:
        return ANONYMOUS if restricted() else OWNER
    deployment = current_app.config.get("API_TOKEN") or ""
    if deployment and hmac.compare_digest(given.encode(), deployment.encode()):
        return Caller("admin", bearer=True)
    found = get_store().find_token(given) if given.startswith("kh_") else None
    if found is None:
        return ANONYMOUS if restricted() else OWNER
    role = found.user.role if found.scope == "write" else "viewer"
    return Caller(role, found.user, bearer=True, scope=found.scope)


def current_role() -> str | None:
    """The caller's role: ``admin``, ``editor``, ``viewer``, or None for anonymous callers."""
    return caller().role


def current_user_name() -> str | None:
    """The signed-in (or token-bearing) user's name; None for the owner and anonymous callers."""
    user = caller().user
    return user.name if user else None


def can_edit() -> bool:
    """Whether the caller may create, correct and publish (an editor or admin)."""
    return caller().role in EDITORS


def is_owner() -> bool:
    """Whether the caller may edit: the name of :func:`can_edit` from before accounts."""
    return can_edit()


def sees_private() -> bool:
    """Whether the caller may read drafts and private things (pass to the store's reads)."""
    return caller().role is not None


def new_is_public(asked_private: bool) -> bool:
    """Whether a new document or map starts public: never once accounts exist (a draft)."""
    return not asked_private and not accounts_exist()


def shared_cacheable(public: bool) -> bool:
    """Whether an answer about a ``public`` thing may be kept by shared caches.

    A signed-in view of a map may include drafts; on an open install every
    caller sees the same, so public things stay cacheable.
    """
    return public and not (restricted() and sees_private())


def sign_in(token: str) -> bool:
    """Start an owner session if ``token`` is the deployment token; return whether it was."""
    expected = current_app.config.get("API_TOKEN") or ""
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return False
    session.clear()
    session[SESSION_KEY] = _token_digest(expected)
    session.permanent = True
    forget_caller()
    return True


def forget_caller() -> None:
    """Drop the caller worked out for this request (after signing in or out)."""
    g.pop("kharita_caller", None)


def sign_out() -> None:
    """End the session, whether a user's or the owner's."""
    accounts.sign_out_user()
    session.clear()
    forget_caller()


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the home page (no open redirect)."""
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") \
            or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target


def refuse(action: str) -> Forbidden:
    """The 403 for a caller who may not do ``action``, saying what to do instead."""
    role = current_role()
    if role is None:
        return Forbidden(f"{action} needs an editor's account: sign in at "
                         f"{url_for('session.signin')} first.")
    return Forbidden(f"{action} needs other rights than yours (role: {role}; a read-scope "
                     "token acts as a viewer). Ask an admin.")


def require_owner(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only callers who may edit run a page view: anonymous GETs go to ``/signin``,
    everyone else refused gets a 403."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if can_edit():
            return view(*args, **kwargs)
        if request.method in ("GET", "HEAD") and current_role() is None:
            return redirect(url_for("session.signin", next=request.full_path.rstrip("?")))
        raise refuse("This change")

    return guarded


def require_writer(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only callers who may edit run an API write: 401 without valid credentials, 403
    for credentials without the right (a viewer, a read-scope token)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if can_edit():
            return view(*args, **kwargs)
        if current_role() is None:
            raise missing_credentials()
        raise refuse("This API write")

    return guarded


def missing_credentials() -> AuthError:
    """The 401 of an API call without valid credentials, saying what is wrong with them."""
    header = request.headers.get("Authorization")
    if header:
        bearer_token(header)  # raises AuthError naming what is wrong with its form
        return AuthError("the bearer token is not valid (unknown, revoked, or its user "
                         "is disabled); check KHARITA_API_TOKEN or make a new token")
    return AuthError("this endpoint needs 'Authorization: Bearer <token>'; no header was sent")


def _secret_key(app: Flask) -> str:
    """The configured ``SECRET_KEY``, or one generated once and kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return str(app.config["SECRET_KEY"])
    path = Path(app.instance_path) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def _context() -> dict[str, Any]:
    return {"signin_offered": restricted() and current_role() is None,
            "signed_in_user": current_user_name() if not caller().bearer else None,
            "can_edit": can_edit(), "publishing_shown": restricted() and sees_private(),
            "drafts": accounts_exist(),
            "manages_users": current_role() == "admin" and restricted() and not caller().bearer}


def init_app(app: Flask) -> None:
    """Set the session secret and cookie flags, and protect every form against CSRF."""
    try:
        app.config["SECRET_KEY"] = _secret_key(app)
    except FileExistsError:  # another worker wrote it between our read and our write
        app.config["SECRET_KEY"] = _secret_key(app)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # tied to the session, not to the clock
    csrf.init_app(app)
    accounts.init_app(app)
    app.context_processor(_context)


def author_name() -> str:
    """The name a revision records as its author: the user's, else ``owner`` (an install
    without accounts, or the deployment token)."""
    return current_user_name() or "owner"
