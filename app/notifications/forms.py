"""The mail preferences form: how often, for each kind of reminder the user can get."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from app.notifications.enums import AT_ONCE_KINDS, DIGEST_KINDS, Frequency, Kind

#: Kinds that only coordinators (and admins) get.
COORDINATOR_KINDS = (Kind.REQUEST_WAITING, Kind.COUNTRY_NEWS, Kind.COORDINATOR_DIGEST)


def kinds_for(user) -> list[Kind]:
    staff = user.is_admin or bool(user.coordinator_countries)
    return [kind for kind in Kind if staff or kind not in COORDINATOR_KINDS]


def _choices(kind: Kind) -> list[tuple[str, str]]:
    never = (Frequency.NEVER.value, Frequency.NEVER.label)
    if kind in DIGEST_KINDS:
        return [(Frequency.WEEKLY.value, _l("Every week")), never]
    if kind in AT_ONCE_KINDS:
        return [(Frequency.IMMEDIATELY.value, Frequency.IMMEDIATELY.label), never]
    return Frequency.choices()


def preferences_form(kinds: list[Kind], chosen: dict[Kind, Frequency]) -> FlaskForm:
    """A form with a choice per kind of ``kinds``, set to ``chosen``."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in kinds:
        field = SelectField(kind.label, choices=_choices(kind), default=chosen[kind].value)
        setattr(PreferencesForm, kind.value, field)
    # Made after the choices: a form lists its fields in the order they were made.
    PreferencesForm.submit = SubmitField(_l("Save preferences"))
    return PreferencesForm()
