"""The caller's own API tokens through the JSON API: list, make (shown once), revoke.

The account page (:mod:`webapp.views.accounts`) does the same for a password
session. Here the caller is a signed-in user or a user's **write**-scope
token: a read-scope token must not mint a write one or revoke its siblings,
and the deployment token belongs to no user (both 403). Tokens are listed
without their secret, which the store keeps only as a digest.
"""

from __future__ import annotations

from flask import abort, jsonify, url_for
from werkzeug.exceptions import Forbidden

from webapp.access import caller, missing_credentials
from webapp.accounts import scopes_for
from webapp.api import bodies as records
from webapp.api import bp, created, read_body
from webapp.store import get_store
from webapp.store.users import AccountError, UserRecord

MAX_ID = 2**31 - 1  # larger ids are unknown (and would overflow an SQL integer)


def token_user() -> UserRecord:
    """The user whose tokens the caller manages: 401 without credentials, 403 without the right."""
    who = caller()
    if who.user is not None and (not who.bearer or who.scope == "write"):
        return who.user
    if who.role is None:
        raise missing_credentials()
    raise Forbidden("API tokens are managed by their user: sign in with a name and password "
                    "or send one of your write-scope tokens (not a read-scope token, nor the "
                    "deployment token, which belongs to no user)")


@bp.get("/v1/tokens")
def list_tokens():
    """List the caller's API tokens, newest first (never their secret)."""
    user = token_user()
    return jsonify({"ok": True, "tokens": [records.token(t)
                                           for t in get_store().list_tokens(user.id)]})


@bp.post("/v1/tokens")
def create_token():
    """Make an API token; its secret is in this answer only."""
    user = token_user()
    scope, label = records.token_fields(read_body())
    if scope not in scopes_for(user):
        raise Forbidden(f"a {user.role} may make {' or '.join(scopes_for(user))} tokens, "
                        f"not {scope!r}")
    try:
        secret, record = get_store().add_token(user.id, scope, label)
    except AccountError as error:  # the user was deleted meanwhile
        abort(404, str(error))
    body = {**records.token(record), "secret": secret}
    return created("token", body, url_for("api.list_tokens", _external=True))


@bp.post("/v1/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of the caller's tokens (404 if it is not theirs)."""
    user = token_user()
    if token_id > MAX_ID or not get_store().revoke_token(user.id, token_id):
        abort(404, f"no token {token_id} of yours; list them at "
                   f"{url_for('api.list_tokens', _external=True)}")
    return jsonify({"ok": True, "revoked": token_id})
