"""User management for admins: list users, add one, disable, enable or delete one.

Open to admins signed in with a password and to the deployment token. On an
open install (no user, no token) the page only says how to make the first
admin: from the command line, or on ``/setup`` (:mod:`webapp.views.setup`),
which answers loopback requests with the printed link only; a form here would let anyone who
reaches the server make themselves admin.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.exceptions import Forbidden

from webapp.access import caller, refuse, restricted
from webapp.errors import RequestError
from webapp.forms import UserForm, parse_form, typed
from webapp.store import get_store
from webapp.store.users import ROLES, AccountError, UserRecord

bp = Blueprint("admin", __name__, url_prefix="/admin")


def require_admin() -> None:
    """Refuse anyone but a password-session admin or the deployment token (GETs: sign in)."""
    who = caller()
    if who.role == "admin" and restricted() and (who.user is None or not who.bearer):
        return
    if request.method == "GET" and who.role is None:
        abort(redirect(url_for("session.signin", next=request.path)))
    if not restricted():
        if request.method == "GET":
            return  # the open install's page: how to make the first admin
        raise Forbidden("Make the first admin with the /setup link the server printed on its "
                        "console (open it on the server's own machine), or "
                        "from the command line: `kharita users add NAME --role admin`; then "
                        "sign in here.")
    raise refuse("Managing users")


def render_users(error: str | None = None, status: int = 200, **form: str):
    """Render the users page, optionally with the add form's values and an error."""
    return render_template("accounts/users.html", users=get_store().list_users(),
                           roles=ROLES, open_install=not restricted(), error=error,
                           form=form), status


@bp.get("/users")
def users():
    """List users with their role and state, and the form to add one."""
    require_admin()
    return render_users()


@bp.post("/users")
def create_user():
    """Add a user with a role and a first password."""
    require_admin()
    try:
        form = parse_form(UserForm, request.form)
        get_store().add_user(form.name, form.password, form.role)
    except (RequestError, AccountError) as error:  # the form's shape, or the store's rules
        return render_users(str(error), 400, **typed(request.form, "name", "role"))
    return redirect(url_for("admin.users"), code=303)


def _user(user_id: int) -> UserRecord:
    """The user an admin acts on (404 when there is none)."""
    require_admin()
    user = get_store().get_user(user_id)
    if user is None:
        abort(404, description=f"No user with id {user_id}.")
    return user


def _own(user: UserRecord) -> bool:
    """Whether ``user`` is the admin making the request."""
    own = caller().user
    return own is not None and own.id == user.id


def _set_active(user_id: int, active: bool):
    user = _user(user_id)
    if not active and _own(user):
        return render_users("You cannot disable your own account; ask another admin.", 400)
    get_store().set_user_active(user.name, active)
    return redirect(url_for("admin.users"), code=303)


@bp.post("/users/<int(max=2147483647):user_id>/disable")
def disable_user(user_id: int):
    """Disable a user: their sessions and tokens stop at once."""
    return _set_active(user_id, False)


@bp.post("/users/<int(max=2147483647):user_id>/delete")
def delete_user(user_id: int):
    """Delete a user and their tokens (their revisions keep their name as author)."""
    user = _user(user_id)
    if _own(user):
        return render_users("You cannot delete your own account; ask another admin.", 400)
    try:
        get_store().delete_user(user.name)
    except AccountError as error:
        return render_users(str(error), 400)
    return redirect(url_for("admin.users"), code=303)


@bp.post("/users/<int(max=2147483647):user_id>/enable")
def enable_user(user_id: int):
    """Enable a disabled user again."""
    return _set_active(user_id, True)
