from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from app.passwords import MAX_LENGTH, StrongPassword


def email_field(**render_kw) -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email", **render_kw},
    )


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
    email = email_field()
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
