"""The forms of registration: the registrant's, and the organisers' (message, walk-in)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.accounts.forms import email_field
from app.activities.enums import RegistrationMode
from app.activities.models import Activity
from app.core.extensions import db
from app.geography.models import Region
from app.registrations.enums import NextStep
from app.registrations.operations import RegistrationData
from app.registrations.queries import find_school
from app.schools.forms import region_choices
from app.schools.models import School

#: The most people one registration brings (a school's delegation, not a crowd).
MAX_PEOPLE = 50


COMING = _l("Number of people coming")


def people_field(label=COMING) -> IntegerField:
    return IntegerField(
        label,
        default=1,
        validators=[
            DataRequired(_l("Give the number of people, at least 1.")),
            NumberRange(min=1, max=MAX_PEOPLE),
        ],
        description=_l("You and your colleagues: the places count people."),
    )


class SchoolNamed:
    """A school typed by its name: the registered one of that name (in the region chosen,
    else in the activity's country), or a school not registered yet, which needs its
    region. Mixed into a form with ``school_name``, ``region`` and ``activity``."""

    school: School | None = None
    #: A registered school chosen by its id, instead of by its name.
    chosen: School | None = None
    #: Whether the activity's "registered schools only" applies (not to walk-ins).
    keeps_to_registered = True

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.chosen is not None:  # named by its id (the API)
            self.school = self.chosen
            return True
        region = db.session.get(Region, self.region.data) if self.region.data else None
        country = region.country_code if region is not None else self.activity.country_code
        self.school = find_school(self.school_name.data, country, self.region.data or None)
        if self.school is not None:
            return True
        registered_only = self.activity.registration is RegistrationMode.REGISTERED_SCHOOLS
        if registered_only and self.keeps_to_registered:
            self.school_name.errors.append(
                _(
                    "No registered school of this name was found. Check the name and the"
                    " region, or ask your school to register in the network first."
                )
            )
            return False
        if region is None:
            self.region.errors.append(_("Choose the region of your school."))
            return False
        return True

    def school_data(self) -> dict:
        region = self.school.region_code if self.school else self.region.data
        return {
            "school_id": self.school.id if self.school else None,
            "school_name": None if self.school else self.school_name.data,
            "country_code": db.session.get(Region, region).country_code if region else None,
            "region_code": region,
        }


class RegisterForm(SchoolNamed, FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field(autocomplete="email")
    school_name = StringField(
        _l("Your school"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Its name as registered, or as it is known if it is not registered yet."),
        render_kw={"autocomplete": "organization"},
    )
    region = SelectField(_l("Region of your school"), choices=[], validators=[Optional()])
    people = people_field()
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, activity: Activity | None, school: School | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.chosen = school
        self.region.choices = {"": [("", _("Choose the region"))], **region_choices()}

    def to_data(self) -> RegistrationData:
        return RegistrationData(
            name=self.name.data,
            email=self.email.data,
            people=self.people.data,
            **self.school_data(),
        )


class ChangeForm(FlaskForm):
    people = people_field(_l("Number of people"))
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm my registration"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel my registration"))


class MessageForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=150)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Send to everyone registered"))


class WalkInForm(SchoolNamed, FlaskForm):
    """Someone who came without registering, added at the door."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    school_name = StringField(_l("School"), validators=[DataRequired(), Length(max=200)])
    region = SelectField(_l("Region of the school"), choices=[], validators=[Optional()])
    people = people_field(_l("Number of people"))
    submit = SubmitField(_l("Add"))
    keeps_to_registered = False

    def __init__(self, *args, activity: Activity | None, school: School | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.chosen = school
        self.region.choices = {"": [("", _("Choose the region"))], **region_choices()}
        if not self.is_submitted():
            self.region.data = activity.region_code


#: The ratings, best first, as the survey offers them.
RATINGS = [
    (5, _l("Excellent")),
    (4, _l("Good")),
    (3, _l("Fair")),
    (2, _l("Poor")),
    (1, _l("Very poor")),
]


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("How was the activity?"),
        choices=RATINGS,
        coerce=int,
        validators=[InputRequired(_l("Choose a rating."))],
    )
    next_step = RadioField(
        _l("What will you do next?"),
        choices=NextStep.choices,
        validators=[InputRequired(_l("Choose what you will do next."))],
    )
    comment = TextAreaField(
        _l("Anything else the organisers should know?"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Optional. The organising school reads it; coordinators do not."),
    )
    submit = SubmitField(_l("Send my answer"))
