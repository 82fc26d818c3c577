"""Signing in and out: with a user's name and password, or with the deployment token."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext

from webapp.access import (
    accounts_exist,
    current_role,
    forget_caller,
    restricted,
    safe_next,
    sign_in,
    sign_out,
    token_configured,
)
from webapp.accounts import SignInError, TooManyAttemptsError, sign_in_user
from webapp.forms import SignInArgs, SignInForm, parse_form

bp = Blueprint("session", __name__)


def render_signin(error: str | None = None, status: int = 200, **form: str):
    """Render the sign-in page (password form once accounts exist, token form with a token)."""
    target = safe_next(parse_form(SignInArgs, request.values).next)
    return render_template("signin.html", next=target,
                           signed=current_role() is not None, needed=restricted(),
                           passwords=accounts_exist(), tokens=token_configured(),
                           error=error, form=form), status


@bp.get("/signin")
def signin():
    """Show the sign-in form."""
    return render_signin()


@bp.post("/signin")
def create():
    """Sign in, then go back where the user was going."""
    form = parse_form(SignInForm, request.form)
    target = safe_next(form.next)
    if form.token is not None:
        if sign_in(form.token):
            return redirect(target, code=303)
        return render_signin(gettext("That token is not valid."), 403)
    name = form.name
    try:
        sign_in_user(name, form.password)
    except TooManyAttemptsError as error:
        page, status = render_signin(
            gettext("Too many failed sign-ins. Wait a few minutes, then try again."), 429,
            name=name)
        return page, status, {"Retry-After": str(error.retry_after)}
    except SignInError:
        return render_signin(gettext("Wrong name or password (or the account is disabled). "
                                     "Check both and try again."), 403, name=name)
    forget_caller()
    return redirect(target, code=303)


@bp.post("/signout")
def delete():
    """End the signed-in session."""
    sign_out()
    return redirect(url_for("home.index"), code=303)
