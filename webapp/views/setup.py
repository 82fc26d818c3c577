"""The one-time set-up page: the first admin of a fresh install, from the server's own machine.

``/setup`` exists only while no user exists **and** for requests from a
loopback address (127.0.0.0/8 or ::1); everyone else, and everyone once a user
exists, gets 404, so the page neither shows nor leaks on a served install.
The other way is the command line (``kharita users add NAME --role admin``).

Behind a reverse proxy on the same machine every request comes from loopback,
so the address alone would let anyone reach the page through the proxy. Like
Jupyter's, the page therefore also wants a set-up token: each start of an
install without users issues one (:func:`issue_token`) and prints the link
with it on the server's console; without that token the page only says where
to find the link.
"""

from __future__ import annotations

import ipaddress
import logging

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for

from webapp import accounts
from webapp.access import forget_caller
from webapp.errors import RequestError
from webapp.forms import SetupArgs, SetupForm, parse_form, typed
from webapp.store import get_store
from webapp.store.users import AccountError

bp = Blueprint("setup", __name__)
log = logging.getLogger(__name__)


def issue_token(app: Flask, *, replace: bool = False) -> str | None:
    """Store a new set-up token while the install has no user; return it (None once one does).

    ``replace=True`` (a single-process server) makes the links of earlier starts stop working.
    """
    with app.app_context():
        return get_store().issue_setup_token(replace=replace)


def announce_token(app: Flask) -> None:
    """Issue a set-up token and log the page's path (a WSGI server's own port is unknown)."""
    token = issue_token(app)
    if token is not None:
        log.warning("No user exists yet: make the first admin at /setup?token=%s "
                    "on this server, from its own machine", token)


def setup_url(host: str, port: int, token: str) -> str:
    """The set-up link on a server bound to ``host``: a loopback address, as the page wants."""
    if not from_loopback(host):  # 0.0.0.0, ::, a public address: the page wants loopback
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/setup?token={token}"


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


def has_token(token: str | None) -> bool:
    """Whether ``token`` (from the link or the form) is a set-up token of this install."""
    return bool(token) and get_store().check_setup_token(token or "")


def render_setup(token: str, error: str | None = None, status: int = 200, name: str = ""):
    """Render the set-up form, optionally with the name typed and an error."""
    return render_template("accounts/setup.html", error=error, name=name, token=token), status


def render_ask_token():
    """Say where the set-up link is: the token is missing or not this install's (403)."""
    return render_template("accounts/setup_token.html"), 403


@bp.get("/setup")
def show():
    """Show the form that makes the first admin (with the printed link's token)."""
    require_setup()
    token = parse_form(SetupArgs, request.args).token
    if not has_token(token):
        return render_ask_token()
    return render_setup(token)


@bp.post("/setup")
def create():
    """Make the first admin, sign them in and go to user management."""
    require_setup()
    token = parse_form(SetupArgs, request.form).token
    if not has_token(token):  # the token is told first: without it the form is not shown
        return render_ask_token()
    try:
        form = parse_form(SetupForm, request.form)
        user = get_store().add_first_admin(form.name, form.password)
    except (RequestError, AccountError) as error:  # the form's shape, or the store's rules
        return render_setup(token, str(error), 400, typed(request.form, "name")["name"])
    if user is None:  # another set-up form was faster
        abort(404)
    accounts.start_session(user)
    forget_caller()
    return redirect(url_for("admin.users"), code=303)
