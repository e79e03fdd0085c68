from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import get_timezone_location
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.collation import collated
from app.core.enums import LANGUAGES
from app.core.extensions import db
from app.core.form_fields import MultiCheckboxField
from app.core.i18n import country_name, current_locale, language_name, region_name
from app.core.school_years import SEPTEMBER_FIRST, Start, school_year_label, school_year_of
from app.core.web_addresses import WebAddress, with_scheme
from app.geography.models import Region
from app.geography.regions import country_zones
from app.schools.enums import EducationLevel
from app.schools.operations import SchoolData


def region_choices(countries: set[str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Leaf regions grouped by country, names in the reader's language."""
    query = select(Region).where(Region.selectable())
    if countries is not None:
        query = query.where(Region.country_code.in_(countries))
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in db.session.scalars(query):
        groups.setdefault(region.country_code, []).append((region.code, region_name(region.name)))
    return {
        country_name(code): collated(options, lambda option: option[1])
        for code, options in collated(groups.items(), lambda item: country_name(item[0]))
    }


def zone_choices(countries: set[str] | None = None) -> list[tuple[str, str]]:
    """The time zones of the countries with regions: "" (the usual one of the school's
    country) first, then each country's zones, by country name."""
    query = select(Region.country_code).distinct()
    if countries is not None:
        query = query.where(Region.country_code.in_(countries))
    named = sorted((country_name(code), code) for code in db.session.scalars(query))
    locale = current_locale()
    return [("", str(_l("The usual time zone of the school's country")))] + [
        (zone, f"{name} · {get_timezone_location(zone, locale=locale, return_city=True)}")
        for name, code in named
        for zone in country_zones(code)
    ]


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, language_name(code)) for code in LANGUAGES), key=lambda c: c[1])


class SchoolForm(FlaskForm):
    name = StringField(_l("Name of the school"), validators=[DataRequired(), Length(max=200)])
    region = SelectField(_l("Region"), validators=[DataRequired()], choices=[])
    timezone = SelectField(
        _l("Time zone"),
        choices=[],
        default="",
        description=_l("The school's activities are shown in it."),
    )
    city = StringField(_l("Town or city"), validators=[Optional(), Length(max=120)])
    website = StringField(
        _l("Website"),
        filters=[with_scheme],
        validators=[
            Optional(),
            WebAddress(message=_l("Enter a full address such as https://school.example.")),
            Length(max=300),
        ],
    )
    levels = MultiCheckboxField(_l("Education levels"), choices=EducationLevel.choices)
    languages = MultiCheckboxField(_l("Languages of the school"), choices=[])
    pupil_count = IntegerField(
        _l("Number of pupils"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact e-mail address"), validators=[Optional(), Email(), Length(max=254)]
    )
    submit = SubmitField(_l("Save the school"))

    def __init__(self, *args, countries: set[str] | None = None, current_zone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices(countries)
        self.timezone.choices = zone_choices(countries)
        self.languages.choices = language_choices()
        self.current_zone = current_zone

    def validate_timezone(self, field) -> None:
        region = db.session.get(Region, self.region.data or "")
        if not field.data or region is None or field.data in country_zones(region.country_code):
            return
        if field.data == self.current_zone:  # moving to another country: its usual zone
            field.data = ""
            return
        raise ValidationError(_l("Choose a time zone of the school's country."))

    def to_data(self) -> SchoolData:
        return SchoolData(
            name=self.name.data,
            region_code=self.region.data,
            city=self.city.data or "",
            website=self.website.data or None,
            levels=list(self.levels.data or []),
            languages=list(self.languages.data or []),
            timezone=self.timezone.data or None,
            pupil_count=self.pupil_count.data,
            contact_name=self.contact_name.data or None,
            contact_email=(self.contact_email.data or "").strip().lower() or None,
        )

    @classmethod
    def for_school(cls, school, **kwargs) -> SchoolForm:
        """The form filled with the school's current values."""
        current = {
            name: getattr(school, name)
            for name in (
                "name",
                "city",
                "website",
                "pupil_count",
                "contact_name",
                "contact_email",
            )
        }
        current["region"] = school.region_code
        current["timezone"] = school.timezone
        current["levels"] = [row.level.value for row in school.levels]
        current["languages"] = [row.language for row in school.languages]
        return cls(data=current, current_zone=school.timezone, **kwargs)


class AmbassadorApplicationForm(FlaskForm):
    first_year = SelectField(_l("From school year"), coerce=int, choices=[])
    years = SelectField(
        _l("For"), coerce=int, choices=[(1, _l("One school year")), (2, _l("Two school years"))]
    )
    motivation = TextAreaField(
        _l("Why your school wants to be an ambassador for its region"),
        validators=[DataRequired(), Length(min=20, max=4000)],
        description=_l(
            "What you plan for other schools: open days, information sessions, mentoring, training."
        ),
    )
    submit = SubmitField(_l("Apply"))

    def __init__(self, *args, start: Start = SEPTEMBER_FIRST, **kwargs):
        super().__init__(*args, **kwargs)
        current = school_year_of(datetime.now(UTC).date(), start)
        self.first_year.choices = [
            (year, school_year_label(year)) for year in (current, current + 1)
        ]


class LabelRequestForm(FlaskForm):
    year = SelectField(_l("eTwinning School label of the school year"), coerce=int, choices=[])
    submit = SubmitField(_l("Ask for verification"))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [(year, school_year_label(year)) for year in years]


class LabelDecisionForm(FlaskForm):
    """A coordinator's decision on a label request, as the API takes it."""

    outcome = SelectField(
        _l("Decision"),
        choices=[("verified", _l("Verify")), ("refused", _l("Refuse"))],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Reason (sent to the school)"), validators=[Optional(), Length(max=2000)]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.outcome.data == "refused" and not (self.reason.data or "").strip():
            self.reason.errors = [
                *self.reason.errors,
                _l("Please give the school a reason when you refuse its label."),
            ]
            return False
        return valid


class DecisionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the school)"), validators=[Optional(), Length(max=2000)]
    )
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))


class SchoolImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Choose a .csv file."))],
    )
    submit = SubmitField(_l("Check the file"))
