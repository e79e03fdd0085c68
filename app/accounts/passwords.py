"""Password rules: 8 to 256 characters, no composition rules, common passwords refused."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 256
#: zxcvbn's own limit (its ``max_length`` default): longer input is an error.
RATED_LENGTH = 72


def password_problem(password: str, context: tuple[str, ...] = ()) -> str | None:
    """Why ``password`` may not be used, or None. ``context``: the user's name and address."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(num)s characters.", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(num)s characters.", num=MAX_LENGTH)
    # zxcvbn knows the most common passwords and trivial patterns (score 0: under
    # a thousand guesses); its cost grows with length, so only the first characters are
    # rated (anything that long is not a common password). zxcvbn raises ValueError
    # for anything longer than its ``max_length``.
    rated = password[:RATED_LENGTH]
    from zxcvbn import zxcvbn  # its dictionaries load on the first password checked

    if zxcvbn(rated, user_inputs=[part for part in context if part])["score"] == 0:
        return _("This password is too common or too easy to guess. Try a short sentence.")
    return None


class StrongPassword:
    """WTForms validator; the form may supply the user's name and address as context."""

    def __init__(self, *context_fields: str):
        self.context_fields = context_fields

    def __call__(self, form, field) -> None:
        context = tuple(str(getattr(form, name).data or "") for name in self.context_fields)
        problem = password_problem(field.data or "", context)
        if problem:
            raise ValidationError(problem)
