"""Who may see and change what: the caller's side of the one visibility rule.

Until accounts exist, a caller is either the **owner** or **anonymous**:

* With ``API_TOKEN`` set, the owner is whoever sends ``Authorization: Bearer
  <token>``, or has signed in on ``/signin`` with the token (a signed session
  cookie holding a digest of the token, so changing the token ends every such
  session).
* Without it, the install is single-user (it binds 127.0.0.1 by default) and
  every caller is the owner.

The owner reads private documents and maps and may write. For anyone else the
store answers as if private things did not exist (:mod:`webapp.store`, the one
place the rule is applied), so views answer 404 and private ids do not leak.

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
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import Forbidden

from webapp.auth import AuthError, check_token

SESSION_KEY = "owner"
SECRET_FILE = "secret_key"
csrf = CSRFProtect()


def token_configured() -> bool:
    """Whether the deployment has a write token (otherwise every caller is the owner)."""
    return bool(current_app.config.get("API_TOKEN"))


def _token_digest(token: str) -> str:
    return hashlib.blake2b(token.encode("utf-8"), digest_size=16).hexdigest()


def is_owner() -> bool:
    """Whether the current caller is the owner (bearer token, signed-in session or open install)."""
    if "kharita_owner" not in g:
        g.kharita_owner = _owner()
    return bool(g.kharita_owner)


def _owner() -> bool:
    token = current_app.config.get("API_TOKEN")
    if not token:
        return True
    header = request.headers.get("Authorization")
    if header:
        try:
            check_token(header, token)
        except AuthError:
            return False
        return True
    signed = session.get(SESSION_KEY)
    return isinstance(signed, str) and hmac.compare_digest(signed, _token_digest(token))


def sees_private() -> bool:
    """Whether the caller may read private documents and maps (pass to the store's reads)."""
    return is_owner()


def shared_cacheable(public: bool) -> bool:
    """Whether an answer about a ``public`` thing may be kept by shared caches.

    An owner's view of a map may include private documents; with no token set
    every caller sees the same, so public things stay cacheable.
    """
    return public and not (token_configured() and is_owner())


def sign_in(token: str) -> bool:
    """Start an owner session if ``token`` is the deployment token; return whether it was."""
    expected = current_app.config.get("API_TOKEN") or ""
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return False
    session.clear()
    session[SESSION_KEY] = _token_digest(expected)
    session.permanent = True
    g.pop("kharita_owner", None)
    return True


def sign_out() -> None:
    """End the owner session, if any."""
    session.clear()
    g.pop("kharita_owner", None)


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the home page (no open redirect)."""
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") \
            or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target


def require_owner(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only the owner run a page view: others go to ``/signin`` (GET) or get a 403."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if is_owner():
            return view(*args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("session.signin", next=request.full_path.rstrip("?")))
        raise Forbidden("This server needs its access token for changes: sign in at "
                        f"{url_for('session.signin')} first.")

    return guarded


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
    return {"signin_offered": token_configured() and not is_owner()}


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
    app.context_processor(_context)


def can_edit() -> bool:
    """Whether the caller may correct documents (mentions, features, revisions).

    The one gate of every editing route, pages and API alike; today the owner.
    """
    return is_owner()


def current_user_name() -> str:
    """The name a revision records as its author (the single owner until accounts exist)."""
    return "owner"
