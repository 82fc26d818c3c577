"""Signing in with the deployment token, so the forms can write when ``API_TOKEN`` is set."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from webapp.access import is_owner, safe_next, sign_in, sign_out, token_configured
from webapp.i18n import get_lang, translate

bp = Blueprint("session", __name__)


@bp.get("/signin")
def signin():
    """Show the token sign-in form."""
    return render_template("signin.html", next=safe_next(request.args.get("next")),
                           owner=is_owner(), needed=token_configured())


@bp.post("/signin")
def create():
    """Sign in with the token, then go back where the user was going."""
    target = safe_next(request.form.get("next"))
    if sign_in(request.form.get("token", "")):
        return redirect(target, code=303)
    message = translate("signin.wrong", get_lang())
    return render_template("signin.html", next=target, owner=False, needed=token_configured(),
                           error=message), 403


@bp.post("/signout")
def delete():
    """End the signed-in session."""
    sign_out()
    return redirect(url_for("home.index"), code=303)
