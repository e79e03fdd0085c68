"""The signed-in user's own account: profile, password, second factor, their data."""

from __future__ import annotations

import base64
import json

import segno
from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import credentials, privacy, totp
from app.accounts.forms import (
    DeleteAccountForm,
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    PasswordChangeForm,
    ProfileForm,
)
from app.accounts.operations import verify_password
from app.accounts.views import account_bp as bp
from app.accounts.views.tokens import tokens_revoked_message
from app.core import audit
from app.core.database import utcnow, writes


def _status(*forms) -> int:
    return 422 if any(form.errors for form in forms) else 200


def _wrong_password(form) -> bool:
    if verify_password(current_user, form.current.data):
        return False
    form.current.errors.append(_("That is not your current password."))
    audit.record("account.password_check", actor=current_user, outcome="failure")
    return True


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.locale = form.locale.data
        session["locale"] = form.locale.data
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form), _status(form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit() and not _wrong_password(form):
        revoked = credentials.set_password(current_user, form.password.data)
        audit.record("account.password_change", actor=current_user, revoked=revoked)
        # This session continues with the new session version. The proxy itself must not
        # be stored as the user: current_user would then resolve to itself, endlessly.
        login_user(current_user._get_current_object())
        flash(_("Your password has been changed. Other devices have been signed out."), "success")
        if revoked:
            flash(tokens_revoked_message(), "info")
        return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form), _status(form)


@bp.route("/two-factor", methods=["GET", "POST"])
@writes  # the secret being set up is kept in the database, not in the cookie
@login_required
def two_factor():
    if current_user.totp_secret:
        return render_template("account/two_factor_on.html", form=DisableTwoFactorForm())
    secret = totp.pending_secret(current_user)
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        outcome = totp.confirm(current_user, form.code.data)
        if outcome is totp.Outcome.ACCEPTED:
            audit.record("account.mfa_enabled", actor=current_user)
            flash(_("Two-step sign-in is on."), "success")
            return redirect(url_for("account.profile"))
        audit.record("account.mfa_setup_code", actor=current_user, outcome="failure",
                     reason=outcome.value)  # fmt: skip
        form.code.errors.append(totp.problem(outcome))
    uri = totp.provisioning_uri(current_user, secret)
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#14323f")
    qr = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return render_template(
        "account/two_factor_setup.html", form=form, qr=qr, secret=secret
    ), _status(form)


@bp.post("/two-factor/off")
@login_required
def two_factor_off():
    form = DisableTwoFactorForm()
    if form.validate_on_submit() and not _wrong_password(form):
        totp.turn_off(current_user)
        audit.record("account.mfa_disabled", actor=current_user)
        flash(_("Two-step sign-in is off."), "info")
        return redirect(url_for("account.profile"))
    return render_template("account/two_factor_on.html", form=form), 422


@bp.get("/privacy")
@login_required
def privacy_page():
    return render_template("account/privacy.html", form=DeleteAccountForm())


@bp.post("/data")
@login_required
def download_data():
    data = privacy.export_user_data(current_user)
    audit.record("account.data_export", actor=current_user)
    stamp = utcnow().strftime("%Y%m%d")
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="my-data-{stamp}.json"'},
    )


@bp.post("/delete")
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit() and not _wrong_password(form):
        user_id = current_user.id
        privacy.erase_user(current_user._get_current_object())
        audit.record("account.deleted", object_type="user", object_id=user_id, with_ip=False)
        logout_user()
        session.clear()
        flash(_("Your account has been deleted."), "info")
        return redirect(url_for("main.home"))
    return render_template("account/privacy.html", form=form), 422


#: What a coordinator or admin without a second factor may still open when one is required.
_MFA_SETUP_ENDPOINTS = {
    "account.two_factor",
    "auth.logout",
    "main.set_language",
    "main.privacy",
    "static",
    "bootstrap.static",
    "health.healthz",
    "health.readyz",
    "disclosure.security_txt",
}


@bp.before_app_request
def require_staff_second_factor():
    """Coordinators and admins set up two-step sign-in before anything else, when required."""
    from flask import request

    if (
        current_user.is_authenticated
        and request.endpoint not in _MFA_SETUP_ENDPOINTS
        and totp.missing(current_user)
    ):
        flash(_("Coordinators and administrators must turn on two-step sign-in first."), "warning")
        return redirect(url_for("account.two_factor"))
    return None
