from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.accounts.enums import MembershipRole
from app.admin.outbox import STATUS_LABELS
from app.core.form_fields import MultiCheckboxField


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("E-mail address or name contains"), validators=[Optional(), Length(max=254)])


class UserAdminForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    active = BooleanField(_l("Account is active"))
    is_admin = BooleanField(_l("Administrator of the whole network"))
    countries = MultiCheckboxField(_l("National coordinator for"), choices=[])
    submit = SubmitField(_l("Save"))


class MembershipAddForm(FlaskForm):
    #: Chosen from the search results on the user's page, never typed in.
    school_id = IntegerField(widget=HiddenInput(), validators=[DataRequired(), NumberRange(min=1)])
    role = SelectField(_l("Role"), choices=MembershipRole.choices)
    submit = SubmitField(_l("Add to school"))


class OutboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("State"),
        choices=[("", _l("Every state")), *STATUS_LABELS.items()],
        validators=[Optional()],
    )
    kind = SelectField(_l("Kind"), choices=[], validators=[Optional()])
    q = StringField(_l("Address contains"), validators=[Optional(), Length(max=254)])


class AuditFilterForm(FlaskForm):
    """The audit log's filters (GET, no CSRF); choices are set by the view."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    actor = StringField(_l("By (name or e-mail)"), validators=[Optional(), Length(max=254)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    country = SelectField(_l("Country"), choices=[], validators=[Optional()])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end of the period must not be before its start."))
