from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.blueprints.auth.forms import CodeForm, new_password_fields
from app.i18n import LOCALES, locale_display_name
from app.passwords import MAX_LENGTH


def current_password_field() -> PasswordField:
    return PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Language"), choices=[])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [(code, locale_display_name(code)) for code in LOCALES]


class PasswordChangeForm(FlaskForm):
    current = current_password_field()
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Change password"))


class EnableTwoFactorForm(CodeForm):
    submit = SubmitField(_l("Turn on two-step sign-in"))


class DisableTwoFactorForm(FlaskForm):
    current = current_password_field()
    submit = SubmitField(_l("Turn off two-step sign-in"))


class DeleteAccountForm(FlaskForm):
    current = current_password_field()
    submit = SubmitField(_l("Delete my account"))
