"""The registrant's pages: register, confirm the address, change or cancel, erase. No
account is needed: the signed link of the mails opens the registration."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.activities.loaders import load_activity
from app.certificates.documents import attended
from app.core.errors import Refused
from app.core.extensions import limiter
from app.core.i18n import current_locale
from app.core.security import secret_link, wait_message
from app.registrations import links, privacy
from app.registrations import operations as registrations
from app.registrations.enums import RegistrationStatus
from app.registrations.forms import CancelForm, ChangeForm, ConfirmForm, RegisterForm
from app.registrations.loaders import load_by_token, signed_in_as
from app.registrations.models import Registration
from app.registrations.operations import AlreadyRegistered
from app.registrations.places import changeable, is_open, places, position
from app.registrations.views import bp


def _limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


@bp.after_request
def _private(response):
    """Registrations are personal: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/activities/<int:activity_id>/register", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], error_message=wait_message)
def register(activity_id: int):
    activity = load_activity(activity_id)
    if not is_open(activity):
        return render_template("registrations/closed.html", activity=activity), 409
    form = RegisterForm(activity=activity)
    if not form.is_submitted() and current_user.is_authenticated:
        _prefill(form)
    if form.validate_on_submit():
        try:
            registration = registrations.register(
                activity, form.to_data(), current_locale(), verified=signed_in_as(form.email.data)
            )
        except AlreadyRegistered:
            registrations.send_links_again(activity, form.email.data)
        except Refused as refusal:
            flash(str(refusal.reason), "warning")
            return redirect(url_for("activities.show", activity_id=activity.id))
        else:
            if registration.status is not RegistrationStatus.PENDING:
                flash(_placed_message(registration), "success")
                return redirect(url_for(".manage", token=links.token(registration)))
        flash(
            _(
                "Almost done: we have sent a link to %(email)s. Open it and confirm to keep"
                " your place.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect(url_for("activities.show", activity_id=activity.id))
    page = render_template(
        "registrations/register.html",
        activity=activity,
        form=form,
        places=places(activity.id, activity.capacity),
    )
    return page, 422 if form.errors else 200


def _prefill(form: RegisterForm) -> None:
    form.name.data = current_user.name
    form.email.data = current_user.email
    school = next((m.school for m in current_user.memberships if m.school is not None), None)
    if school is not None:
        form.school_name.data = school.name
        form.region.data = school.region_code


def _placed_message(registration: Registration) -> str:
    if registration.status is RegistrationStatus.CONFIRMED:
        return _("Your place is confirmed. We have sent you a calendar invitation.")
    return _(
        "All places are taken: you are number %(position)s on the waiting list. We will write"
        " to you as soon as a place frees up.",
        position=position(registration),
    )


@bp.route("/registrations/<token>/confirm", methods=["GET", "POST"])
@secret_link
def confirm(token: str):
    """One button (a POST): mail scanners that open links confirm nothing."""
    registration = load_by_token(token)
    form = ConfirmForm()
    if registration.status is not RegistrationStatus.PENDING:
        return redirect(url_for(".manage", token=token))
    if form.validate_on_submit():
        try:
            registrations.confirm(registration)
        except Refused as refusal:
            flash(str(refusal.reason), "warning")
        else:
            flash(_placed_message(registration), "success")
        return redirect(url_for(".manage", token=token))
    activity = registration.activity
    return render_template(
        "registrations/confirm.html",
        registration=registration,
        activity=activity,
        form=form,
        places=places(activity.id, activity.capacity),
    )


@bp.get("/registrations/<token>")
@secret_link
def manage(token: str, change_form: ChangeForm | None = None):
    registration = load_by_token(token)
    activity = registration.activity
    change_form = change_form or ChangeForm(formdata=None, people=registration.people)
    return render_template(
        "registrations/manage.html",
        registration=registration,
        activity=activity,
        token=token,
        position=position(registration),
        changeable=changeable(registration),
        change_form=change_form,
        cancel_form=CancelForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        certificate=attended(registration),
    ), 422 if change_form.errors else 200


@bp.post("/registrations/<token>/people")
@secret_link
def change(token: str):
    registration = load_by_token(token)
    form = ChangeForm()
    if not form.validate_on_submit():
        return manage(token, change_form=form)
    try:
        registrations.change_people(registration, form.people.data)
    except Refused as refusal:
        form.people.errors.append(str(refusal.reason))
        return manage(token, change_form=form)
    flash(
        ngettext(
            "Your registration now counts %(num)s person.",
            "Your registration now counts %(num)s people.",
            registration.people,
        ),
        "success",
    )
    return redirect(url_for(".manage", token=token))


@bp.post("/registrations/<token>/cancel")
@secret_link
def cancel(token: str):
    registration = load_by_token(token)
    if CancelForm().validate_on_submit():
        registrations.cancel(registration)
        flash(_("Your registration has been cancelled. Thank you for letting us know."), "info")
    return redirect(url_for(".manage", token=token))


@bp.post("/registrations/<token>/erase")
@secret_link
def erase(token: str):
    registration = load_by_token(token)
    activity_id = registration.activity_id
    if CancelForm().validate_on_submit():
        privacy.erase(registration)
        flash(_("Your registration and your name and address have been deleted."), "info")
        return redirect(url_for("activities.show", activity_id=activity_id))
    return redirect(url_for(".manage", token=token))
