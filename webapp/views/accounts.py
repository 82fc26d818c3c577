"""The signed-in user's account page: their role, their password, their API tokens.

Only a password session manages tokens here; the JSON API
(:mod:`webapp.api.tokens`) also takes a write-scope token (a read token must
not mint a write one).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.exceptions import Forbidden

from webapp import accounts
from webapp.access import caller, refuse
from webapp.accounts import scopes_for
from webapp.errors import RequestError
from webapp.forms import PasswordForm, TokenForm, parse_form
from webapp.store import get_store
from webapp.store.users import AccountError, UserRecord

bp = Blueprint("accounts", __name__, url_prefix="/account")


def session_user() -> UserRecord:
    """The user signed in with a password, or a redirect to ``/signin`` (GET) or a 403."""
    who = caller()
    if who.user is not None and not who.bearer:
        return who.user
    if request.method == "GET" and who.role is None:
        abort(redirect(url_for("session.signin", next=request.path)))
    if who.role is not None:
        raise Forbidden("API tokens belong to user accounts and are managed after signing in "
                        f"with a name and password at {url_for('session.signin')}, not with a "
                        "token.")
    raise refuse("Managing API tokens")


def render_account(user: UserRecord, status: int = 200, **extra: Any):
    """Render the account page of ``user`` (``extra``: a new token, an error)."""
    tokens = get_store().list_tokens(user.id)
    return render_template("accounts/show.html", user=user, tokens=tokens,
                           scopes=scopes_for(user), **extra), status


@bp.get("")
def show():
    """Show the signed-in user's role and tokens."""
    return render_account(session_user())


@bp.post("/tokens")
def create_token():
    """Make an API token and show it this once."""
    user = session_user()
    try:
        form = parse_form(TokenForm, request.form)
    except RequestError as error:
        return render_account(user, 400, error=str(error))
    if form.scope not in scopes_for(user):
        return render_account(user, 400, error=f"scope: a {user.role} may make "
                                               f"{' or '.join(scopes_for(user))} tokens, "
                                               f"got {form.scope!r}")
    try:
        token, record = get_store().add_token(user.id, form.scope, form.label)
    except AccountError as error:
        return render_account(user, 400, error=str(error))
    return render_account(user, 201, new_token=token, new_record=record)


@bp.post("/password")
def change_password():
    """Change the signed-in user's password (their other sessions end)."""
    user = session_user()
    form = parse_form(PasswordForm, request.form)  # two texts: no error to show
    try:
        accounts.change_password(user, form.current, form.new)
    except AccountError as error:
        return render_account(user, 400, password_error=str(error))
    except accounts.TooManyAttemptsError as error:
        page, status = render_account(user, 429, password_error=str(error))
        return page, status, {"Retry-After": str(error.retry_after)}
    except accounts.SignInError:
        return render_account(user, 403, password_error=gettext(
            "The current password is wrong; nothing was changed."))
    return render_account(get_store().get_user(user.id) or user,
                          password_message=gettext(
                              "Password changed; your other sessions have ended."))


@bp.post("/tokens/<int(max=2147483647):token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of the user's tokens (404 if it is not theirs)."""
    user = session_user()
    if not get_store().revoke_token(user.id, token_id):
        abort(404, description=f"No token {token_id} on your account.")
    return redirect(url_for("accounts.show"), code=303)
