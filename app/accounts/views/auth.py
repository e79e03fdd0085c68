"""Registration, e-mail confirmation, signing in and out, password reset, second factor.

Answers never tell whether an address is registered: registration and reset
requests look the same either way, and the owner of the address is told by e-mail.
"""

from __future__ import annotations

import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app import policy
from app.accounts import credentials, totp
from app.accounts.forms import (
    CodeForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from app.accounts.models import User
from app.accounts.operations import create_user, find_user, hash_password, verify_password
from app.accounts.views import auth_bp as bp
from app.accounts.views.tokens import tokens_revoked_message
from app.core import audit
from app.core.database import utcnow, writes
from app.core.extensions import db, limiter
from app.core.i18n import current_locale
from app.core.mail import queue_mail
from app.core.safety import safe_next
from app.core.security import wait_message


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _auth_limited(view):
    return limiter.limit(_auth_limit, methods=["POST"], error_message=wait_message)(view)


def _form_status(form) -> int:
    return 422 if form.errors else 200


@bp.route("/register", methods=["GET", "POST"])
@_auth_limited
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.profile"))
    form = RegisterForm()
    if form.validate_on_submit():
        # Both answers do the same work (a hash, an audit entry, one mail), so that
        # neither the page nor its timing tells whether the address has an account.
        password_hash = hash_password(form.password.data)
        existing = find_user(form.email.data)
        if existing is None:
            user = create_user(
                form.email.data,
                form.name.data.strip(),
                password_hash=password_hash,
                locale=current_locale(),
            )
            audit.record("account.register", actor=user, object_type="user", object_id=user.id)
            queue_mail(
                user.email,
                user.locale,
                "confirm_email",
                user=user,
                link=url_for(
                    "auth.confirm", token=credentials.confirmation_token(user), _external=True
                ),
            )
        else:
            audit.record("account.register_again", actor=existing, object_type="user",
                         object_id=existing.id)  # fmt: skip
            queue_mail(
                existing.email,
                existing.locale,
                "already_registered",
                user=existing,
                reset_link=url_for("auth.reset_request", _external=True),
            )
        return render_template("auth/check_mail.html")
    return render_template("auth/register.html", form=form), _form_status(form)


@bp.get("/confirm/<token>")
@writes
def confirm(token: str):
    user = credentials.confirm_email(token)
    if user is None:
        abort(404)
    audit.record("account.confirm_email", actor=user, object_type="user", object_id=user.id)
    flash(_("Your e-mail address is confirmed. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@_auth_limited
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.my_home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        # Checked even for an unknown address (against a stand-in hash): as slow either way.
        password_ok = verify_password(user, form.password.data)
        if user is not None and user.active and password_ok:
            if user.email_verified_at is None:
                flash(
                    _("Please confirm your e-mail address first: follow the link we sent you."),
                    "warning",
                )
                return render_template("auth/login.html", form=form), 403
            remember = bool(form.remember.data) and not policy.is_staff(user)
            if user.totp_secret:
                session["mfa"] = {"user": user.get_id(), "remember": remember, "at": time.time()}
                return redirect(url_for("auth.second_factor", next=request.args.get("next")))
            return _complete_login(user, remember)
        audit.record("account.login", actor=user, outcome="failure")
        flash(_("The e-mail address or password is not right."), "danger")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), _form_status(form)


@bp.route("/login/code", methods=["GET", "POST"])
@_auth_limited
def second_factor():
    pending = session.get("mfa")
    user = _pending_mfa_user(pending)
    if user is None:
        return redirect(url_for("auth.login"))
    if not _still_waiting(pending):
        session.pop("mfa", None)
        flash(_("Signing in took too long. Please enter your password again."), "warning")
        return redirect(url_for("auth.login", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = totp.check(user, form.code.data)
        if outcome is totp.Outcome.ACCEPTED:
            return _complete_login(user, pending["remember"])
        audit.record("account.login_code", actor=user, outcome="failure", reason=outcome.value)
        form.code.errors.append(totp.problem(outcome))
        if outcome is totp.Outcome.LOCKED:
            return render_template("auth/second_factor.html", form=form), 429
    return render_template("auth/second_factor.html", form=form), _form_status(form)


def _pending_mfa_user(pending) -> User | None:
    if not isinstance(pending, dict):
        return None
    from app.accounts.session import load_user

    return load_user(str(pending.get("user", "")))


def _still_waiting(pending: dict) -> bool:
    """A password step is good for a code for ``TOTP_PENDING_SECONDS``, not for ever."""
    started = pending.get("at")
    if not isinstance(started, int | float):
        return False
    return 0 <= time.time() - started <= current_app.config["TOTP_PENDING_SECONDS"]


def _complete_login(user: User, remember: bool):
    locale = session.get("locale")
    session.clear()  # a fresh session at every sign-in
    if locale:
        session["locale"] = locale
    login_user(user, remember=remember)
    user.last_login_at = utcnow()
    audit.record("account.login", actor=user)
    flash(_("Welcome back, %(name)s.", name=user.name), "success")
    return redirect(safe_next(request.args.get("next"), "main.my_home"))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        credentials.invalidate_sessions(user)  # any copy of the old cookie stops working
        audit.record("account.logout", actor=user)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/reset", methods=["GET", "POST"])
@_auth_limited
def reset_request():
    if current_user.is_authenticated:
        return redirect(url_for("account.password"))
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active:
            token = credentials.start_password_reset(user)
            audit.record("account.reset_requested", actor=user)
            queue_mail(
                user.email,
                user.locale,
                "reset_password",
                user=user,
                link=url_for("auth.reset_password", token=token, _external=True),
                minutes=current_app.config["PASSWORD_RESET_MINUTES"],
            )
        else:
            # The same amount of work: a write, an audit entry, one mail (to the address
            # typed, saying it has no account), so the timing tells nothing either.
            credentials.start_password_reset(None)
            audit.record("account.reset_requested", outcome="no_account")
            queue_mail(
                form.email.data.strip(),
                current_locale(),
                "reset_no_account",
                register_link=url_for("auth.register", _external=True),
            )
        return render_template("auth/check_mail.html")
    return render_template("auth/reset_request.html", form=form), _form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_auth_limited
def reset_password(token: str):
    if credentials.usable_reset_token(token) is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        done = credentials.complete_password_reset(token, form.password.data)
        if done is None:
            return render_template("auth/reset_invalid.html"), 404
        user, revoked = done
        audit.record("account.password_reset", actor=user, object_type="user", object_id=user.id,
                     revoked=revoked)  # fmt: skip
        flash(_("Your password has been changed. Please sign in with the new one."), "success")
        if revoked:
            flash(tokens_revoked_message(), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), _form_status(form)
