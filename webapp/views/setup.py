"""The one-time set-up page: the first admin of a fresh install, from the server's own machine.

``/setup`` exists only while no user exists **and** for requests from a
loopback address (127.0.0.0/8 or ::1); everyone else, and everyone once a user
exists, gets 404, so the page neither shows nor leaks on a served install.
The other way is the command line (``kharita users add NAME --role admin``).

Trade-off: behind a reverse proxy on the same machine every request comes
from loopback. The proxy must then set ``X-Forwarded-For`` and the app run
with the proxy fix, or the first admin be made before the proxy serves it.
"""

from __future__ import annotations

import ipaddress

from flask import Blueprint, abort, redirect, render_template, request, url_for

from webapp import accounts
from webapp.access import forget_caller
from webapp.store import get_store
from webapp.store.users import AccountError

bp = Blueprint("setup", __name__)


def from_loopback(address: str | None) -> bool:
    """Whether ``address`` (a request's remote address) is this machine's own."""
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:  # a unix socket or a missing address: not provably local
        return False


def require_setup() -> None:
    """Answer 404 unless the install has no user and the request comes from loopback."""
    if not from_loopback(request.remote_addr) or get_store().count_users() > 0:
        abort(404)


def render_setup(error: str | None = None, status: int = 200, name: str = ""):
    """Render the set-up form, optionally with the name typed and an error."""
    return render_template("accounts/setup.html", error=error, name=name), status


@bp.get("/setup")
def show():
    """Show the form that makes the first admin."""
    require_setup()
    return render_setup()


@bp.post("/setup")
def create():
    """Make the first admin, sign them in and go to user management."""
    require_setup()
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    if password != request.form.get("password2", ""):
        return render_setup("password: the two passwords differ; type the same one twice.",
                            400, name)
    try:
        user = get_store().add_first_admin(name, password)
    except AccountError as error:
        return render_setup(str(error), 400, name)
    if user is None:  # another set-up form was faster
        abort(404)
    accounts.start_session(user)
    forget_caller()
    return redirect(url_for("admin.users"), code=303)
