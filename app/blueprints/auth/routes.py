"""Signing in and out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import find_user, verify_password
from app.blueprints.auth import bp
from app.blueprints.auth.forms import LoginForm
from app.database import utcnow
from app.extensions import db
from app.safety import safe_next


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active and verify_password(user, form.password.data):
            locale = session.get("locale")
            session.clear()  # a fresh session at every sign-in
            if locale:
                session["locale"] = locale
            staff = user.is_admin or bool(user.coordinator_countries)
            login_user(user, remember=form.remember.data and not staff)
            user.last_login_at = utcnow()
            db.session.commit()
            flash(_("Welcome back, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")))
        flash(_("The e-mail address or password is not right."), "danger")
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 422


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        current_user.session_version += 1  # any copy of the old cookie stops working
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.home"))
