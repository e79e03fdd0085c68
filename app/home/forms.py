"""The sample form of the component page: how choice groups and field errors look."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired

from app.core.form_fields import MultiCheckboxField


class SampleForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(_l("Name"), validators=[DataRequired()])
    pillars = MultiCheckboxField(_l("Pillars"), choices=[], validators=[DataRequired()])
    visibility = RadioField(
        _l("Visibility"),
        choices=[("public", _l("Public")), ("network", _l("Network only"))],
        validators=[InputRequired()],
    )
