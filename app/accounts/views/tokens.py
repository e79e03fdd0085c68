"""API tokens: created on this page (shown once), listed, revoked."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.accounts import totp
from app.accounts.models import ApiToken
from app.accounts.operations import issue_token
from app.accounts.views import account_bp as bp
from app.core import audit
from app.core.database import utcnow
from app.core.extensions import db


class TokenForm(FlaskForm):
    name = StringField(
        _l("What the token is for"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("For example: regional website, NSO report."),
    )
    submit = SubmitField(_l("Create a token"))


def tokens_revoked_message() -> str:
    """Said after a password change or reset that revoked tokens."""
    return _(
        "Your API tokens have been revoked with the old password: create new ones if a program"
        " needs them."
    )


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))


def _page(form: TokenForm, plain: str | None = None, status: int = 200):
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    page = render_template(
        "account/tokens.html", form=form, tokens=tokens, plain=plain, revoke_form=RevokeForm()
    )
    return page, status


@bp.get("/tokens")
@login_required
def tokens():
    return _page(TokenForm())


@bp.post("/tokens")
@login_required
def create_token():
    if totp.missing(current_user):  # the pages send them to set it up first; to be sure
        abort(403)
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    plain = issue_token(current_user, form.name.data.strip())
    audit.record("account.token_create", actor=current_user, object_type="user",
                 object_id=current_user.id)  # fmt: skip
    return _page(TokenForm(formdata=None), plain=plain, status=201)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None and RevokeForm().validate_on_submit():
        token.revoked_at = utcnow()
        audit.record("account.token_revoke", actor=current_user, object_type="user",
                     object_id=current_user.id)  # fmt: skip
        flash(_("The token has been revoked: it no longer works."), "info")
    return redirect(url_for("account.tokens"))
