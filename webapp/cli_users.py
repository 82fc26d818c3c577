"""``kharita users``: add, list, disable and delete accounts, and make API tokens, from the shell.

The first admin of an install is made here (``kharita users add NAME --role
admin``): there is no set-up page to leave open. Commands run on the app that
``kharita serve`` would start (same settings and database), or on the app of a
Flask test runner.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import ScriptInfo

from geo.cli import cli
from webapp.store.users import ROLES, SCOPES, AccountError, check_password


def load_app() -> Flask:
    """The app of the current Flask CLI context, else one built from the settings."""
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None:
        return info.load_app()
    from webapp import create_app

    return create_app(startup=False)


def read_password() -> str:
    """Prompt twice on a terminal; otherwise read one line from standard input."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@cli.group("users")
def users() -> None:
    """Manage user accounts (admin, editor, viewer) and their API tokens."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True,
              help="admin manages users; editor creates, corrects and publishes; viewer reads "
                   "drafts.")
def add(name: str, role: str) -> None:
    """Add a user; the password is prompted for (or read from stdin when piped)."""
    from webapp.store import get_store

    app = load_app()
    try:
        password = check_password(read_password())
        with app.app_context():
            user = get_store().add_user(name, password, role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"added {user.name} ({user.role})")


@users.command("password")
@click.argument("name")
def password(name: str) -> None:
    """Set a user's password (prompted, or read from stdin); their sessions end."""
    from webapp.store import get_store

    app = load_app()
    try:
        secret = check_password(read_password())
        with app.app_context():
            store = get_store()
            user = next((u for u in store.list_users() if u.name == name), None)
            if user is None:
                raise click.ClickException(f"no user {name!r}; see `kharita users list`")
            store.set_password(user.id, secret)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"new password for {name}")


@users.command("list")
def list_users() -> None:
    """List users: name, role, and whether disabled."""
    from webapp.store import get_store

    with load_app().app_context():
        for user in get_store().list_users():
            state = "" if user.active else "  disabled"
            click.echo(f"{user.name}\t{user.role}\t{user.created:%Y-%m-%d}{state}")


@users.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Disable a user: no more sign-ins, sessions or tokens (nothing is deleted)."""
    from webapp.store import get_store

    with load_app().app_context():
        user = get_store().set_user_active(name, False)
    if user is None:
        raise click.ClickException(f"no user {name!r}; see `kharita users list`")
    click.echo(f"disabled {user.name}")


@users.command("delete")
@click.argument("name")
def delete(name: str) -> None:
    """Delete a user and their tokens; the revisions they saved keep their name as author."""
    from webapp.store import get_store

    try:
        with load_app().app_context():
            user = get_store().delete_user(name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    if user is None:
        raise click.ClickException(f"no user {name!r}; see `kharita users list`")
    click.echo(f"deleted {user.name}")


@users.command("token")
@click.argument("name")
@click.option("--scope", type=click.Choice(SCOPES), default="read", show_default=True,
              help="read: see drafts too; write: create and publish (editors and admins only).")
@click.option("--label", default="", help="What the token is for (shown on the account page).")
def token(name: str, scope: str, label: str) -> None:
    """Make an API token for a user and print it (shown only this once)."""
    from webapp.store import get_store

    with load_app().app_context():
        store = get_store()
        user = next((u for u in store.list_users() if u.name == name), None)
        if user is None or not user.active:
            raise click.ClickException(f"no active user {name!r}; see `kharita users list`")
        if scope == "write" and user.role == "viewer":
            raise click.ClickException(f"{name} is a viewer: a viewer's tokens can only read")
        secret, _record = store.add_token(user.id, scope, label)
    click.echo(secret)
