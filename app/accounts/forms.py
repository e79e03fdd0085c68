"""Forms of accounts: registering, signing in, resetting, and the account pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from app.accounts.addresses import email_key, mixes_scripts
from app.accounts.passwords import MAX_LENGTH, StrongPassword
from app.core.i18n import LOCALES, locale_display_name


def email_field(*validators, **render_kw) -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254), *validators],
        render_kw={"autocomplete": "email", **render_kw},
    )


def one_script(form, field) -> None:
    """A new account's address: the letters before the @ of one script (no Cyrillic а in
    an otherwise Latin name), and not longer than a column holds once compared."""
    value = field.data or ""
    if mixes_scripts(value):
        raise ValidationError(_l("Use the letters of one alphabet before the @."))
    if len(email_key(value)) > 254:
        raise ValidationError(_l("This is not an e-mail address."))


def new_password_fields(*context: str) -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), StrongPassword(*context)],
        description=_l(
            "At least 8 characters. A short sentence is easy to remember and hard to guess."
        ),
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = email_field(autocomplete="username")
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field(one_script)
    password, confirm = new_password_fields("name", "email")
    submit = SubmitField(_l("Create account"))


class ResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Save the new password"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("Enter the 6 digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Continue"))


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
