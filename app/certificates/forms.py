"""The form of the verification page: one code, typed as it is printed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from app.certificates.codes import MAX_LENGTH


class CodeForm(FlaskForm):
    """GET (no CSRF): checking a code changes nothing."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[
            DataRequired(),
            Length(max=MAX_LENGTH),
            Regexp(
                r"^[A-Za-z0-9\-\s]*$",
                message=_l(
                    "A verification code has only letters, digits and hyphens, such as"
                    " R-123-ABCDEFGHJK."
                ),
            ),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
