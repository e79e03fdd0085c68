from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.activities.forms import pillar_choices
from app.core.collation import collated
from app.core.enums import Mode
from app.core.extensions import db
from app.core.form_fields import MultiCheckboxField
from app.core.i18n import country_name, region_name
from app.geography.models import Region
from app.schools.enums import EducationLevel
from app.schools.forms import language_choices

MENTOR_MODES = [
    (Mode.IN_PERSON.value, Mode.IN_PERSON.label),
    (Mode.ONLINE.value, Mode.ONLINE.label),
]


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _at_least_one(field) -> None:
    if not field.data:
        raise ValidationError(_l("Choose at least one."))


class MentorProfileForm(FlaskForm):
    school = SelectField(_l("Your school"), coerce=int, choices=[])
    capacity = IntegerField(
        _l("How many schools you can mentor at the same time"),
        validators=[DataRequired(), NumberRange(min=1, max=10)],
        default=2,
    )
    languages = MultiCheckboxField(_l("Languages you mentor in"), choices=[])
    levels = MultiCheckboxField(_l("Education levels you know"), choices=EducationLevel.choices)
    pillars = MultiCheckboxField(_l("Pillars you can help with"), choices=[])
    regions = MultiCheckboxField(
        _l("Other regions you serve"),
        choices=[],
        description=_l("Your school's own region is always served."),
    )
    modes = MultiCheckboxField(_l("How you mentor"), choices=MENTOR_MODES)
    available_until = DateField(_l("Available until"), validators=[Optional()])
    bio = TextAreaField(_l("A few words about you"), validators=[Optional(), Length(max=2000)])
    paused = BooleanField(_l("Pause: take no new schools for now"))
    submit = SubmitField(_l("Save the mentor profile"))

    def __init__(self, *args, schools, regions, load: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.school.choices = schools
        self.regions.choices = regions
        self.languages.choices = language_choices()
        self.pillars.choices = pillar_choices()
        self.load = load

    def validate_capacity(self, field) -> None:
        if field.data is not None and field.data < self.load:
            raise ValidationError(
                _l("You mentor %(num)s schools now; the capacity cannot be lower.", num=self.load)
            )

    def validate_languages(self, field) -> None:
        _at_least_one(field)

    def validate_modes(self, field) -> None:
        _at_least_one(field)


class MentoringRequestForm(FlaskForm):
    pillars = MultiCheckboxField(_l("Pillars your school wants to grow in"), choices=[])
    languages = MultiCheckboxField(_l("Languages you can work in"), choices=[])
    levels = MultiCheckboxField(
        _l("Education levels of your school"), choices=EducationLevel.choices
    )
    mode = RadioField(
        _l("How you would like to meet"), choices=Mode.choices, default=Mode.HYBRID.value
    )
    message = TextAreaField(_l("What you hope for"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Ask for a mentor"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pillars.choices = pillar_choices()
        self.languages.choices = language_choices()

    def validate_languages(self, field) -> None:
        _at_least_one(field)


class RunForm(FlaskForm):
    country = SelectField(_l("Country"), choices=[])
    region = SelectField(_l("Region"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Compute proposals"))

    def __init__(self, *args, countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = collated(((c, country_name(c)) for c in countries), lambda c: c[1])
        regions = db.session.scalars(
            select(Region).where(Region.country_code.in_(countries), Region.selectable())
        ).all()
        self.region.choices = [
            ("", _l("The whole country")),
            *collated(
                ((r.code, f"{region_name(r.name)} ({r.country_code})") for r in regions),
                lambda c: c[1],
            ),
        ]

    def validate_region(self, field) -> None:
        if field.data and not field.data.startswith(f"{self.country.data}-"):
            raise ValidationError(_l("This region is not in the chosen country."))


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why you decline (the school and the coordinator will read it)"),
        validators=[DataRequired(), Length(max=1000)],
        filters=[_stripped],
    )
    submit = SubmitField(_l("Decline"))


class FinishForm(FlaskForm):
    outcome = RadioField(
        _l("How did the mentoring end?"),
        choices=[("completed", _l("Completed")), ("ended", _l("Ended early"))],
        validators=[InputRequired(_l("Choose how the mentoring ended."))],
    )
    feedback = TextAreaField(_l("Short feedback"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Close the mentoring"))

    def completed(self) -> bool:
        return self.outcome.data == "completed"


class FeedbackForm(FlaskForm):
    feedback = TextAreaField(
        _l("Short feedback"), validators=[DataRequired(), Length(max=2000)], filters=[_stripped]
    )
    submit = SubmitField(_l("Save feedback"))
