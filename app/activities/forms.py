from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.activities.enums import ActivityType, Audience, RegistrationMode, Visibility
from app.activities.operations import ActivityData
from app.core.enums import Mode
from app.core.form_fields import MultiCheckboxField
from app.core.i18n import current_locale
from app.core.timezones import AmbiguousTime, NonexistentTime, to_local, to_utc
from app.core.web_addresses import WebAddress, with_scheme
from app.home.queries import short_labels
from app.mission.models import PILLAR_CODES
from app.schools.forms import language_choices

EARLIEST_YEAR = 2000
YEARS_AHEAD = 5


def pillar_choices() -> list[tuple[str, str]]:
    labels = short_labels(current_locale())
    return [(code, labels.get(code, code)) for code in PILLAR_CODES]


class ActivityForm(FlaskForm):
    type = SelectField(_l("Type of activity"), choices=ActivityType.choices)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Enter a date and time."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Enter a date and time."))]
    )
    mode = RadioField(
        _l("How people take part"), choices=Mode.choices, default=Mode.IN_PERSON.value
    )
    location = StringField(_l("Place"), validators=[Length(max=300)])
    online_url = StringField(_l("Online link"), filters=[with_scheme], validators=[Length(max=500)])
    languages = MultiCheckboxField(_l("Languages"), choices=[])
    audience = MultiCheckboxField(_l("For whom"), choices=Audience.choices)
    visibility = RadioField(
        _l("Who can see it"), choices=Visibility.choices, default=Visibility.PUBLIC.value
    )
    pillars = MultiCheckboxField(_l("Pillars of the mission it serves"), choices=[])
    registration = RadioField(
        _l("Registration"), choices=RegistrationMode.choices, default=RegistrationMode.OFF.value
    )
    capacity = IntegerField(
        _l("Places"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
        description=_l("The number of people who can come. Leave it empty for no limit."),
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leave it empty to close registration when the activity starts."),
    )
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Save the activity"))

    def __init__(self, *args, timezone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone = timezone
        self.languages.choices = language_choices()
        self.pillars.choices = pillar_choices()
        self.starts_at.description = _("Local time of the school (%(zone)s).", zone=timezone)

    def _utc(self, field) -> datetime | None:
        if field.data is None:
            return None
        if not EARLIEST_YEAR <= field.data.year <= datetime.now(UTC).year + YEARS_AHEAD:
            raise ValidationError(
                _(
                    "Choose a date between %(first)s and %(last)s.",
                    first=EARLIEST_YEAR,
                    last=datetime.now(UTC).year + YEARS_AHEAD,
                )
            )
        try:
            return to_utc(field.data, self.timezone)
        except NonexistentTime:
            raise ValidationError(
                _("This time does not exist: the clocks go forward then. Choose another time.")
            ) from None
        except AmbiguousTime:
            raise ValidationError(
                _("This time happens twice: the clocks go back then. Choose another time.")
            ) from None

    def validate_starts_at(self, field) -> None:
        self._start = self._utc(field)

    def validate_ends_at(self, field) -> None:
        self._end = self._utc(field)
        start = getattr(self, "_start", None)
        if start is None and self.starts_at.data and not self.starts_at.errors:
            start = self._utc(self.starts_at)
        if start is not None and self._end is not None and self._end < start:
            raise ValidationError(_("The end must not be before the start."))

    def validate_registration_closes_at(self, field) -> None:
        closes = self._utc(field)
        start = getattr(self, "_start", None)
        if closes is not None and start is not None and closes > start:
            raise ValidationError(_("Registration must close before the activity starts."))

    def validate_location(self, field) -> None:
        if self.mode.data in (Mode.IN_PERSON, Mode.HYBRID) and not (field.data or "").strip():
            raise ValidationError(_("Say where the activity takes place."))

    def validate_online_url(self, field) -> None:
        value = (field.data or "").strip()
        if self.mode.data in (Mode.ONLINE, Mode.HYBRID) and not value:
            raise ValidationError(_("Give the link people use to join online."))
        if value:
            WebAddress(message=_("Enter a full address such as https://meet.example."))(self, field)

    def validate_pillars(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one pillar."))

    @staticmethod
    def values_of(activity) -> dict[str, object]:
        """The activity as the form shows it: local times in the school's zone."""
        return {
            "type": activity.type.value,
            "title": activity.title,
            "description": activity.description,
            "starts_at": to_local(activity.starts_at, activity.timezone),
            "ends_at": to_local(activity.ends_at, activity.timezone),
            "mode": activity.mode.value,
            "location": activity.location,
            "online_url": activity.online_url,
            "languages": [link.language for link in activity.languages],
            "audience": list(activity.audience or []),
            "visibility": activity.visibility.value,
            "pillars": activity.pillar_codes,
            "registration": activity.registration.value,
            "capacity": activity.capacity,
            "registration_closes_at": (
                to_local(activity.registration_closes_at, activity.timezone)
                if activity.registration_closes_at
                else None
            ),
            "version": str(activity.version),
        }

    def to_data(self) -> ActivityData:
        return ActivityData(
            type=ActivityType(self.type.data),
            title=self.title.data,
            description=self.description.data or "",
            starts_at=to_utc(self.starts_at.data, self.timezone),
            ends_at=to_utc(self.ends_at.data, self.timezone),
            mode=Mode(self.mode.data),
            location=self.location.data or "",
            online_url=self.online_url.data or "",
            languages=list(self.languages.data or []),
            audience=list(self.audience.data or []),
            visibility=Visibility(self.visibility.data),
            pillars=list(self.pillars.data or []),
            registration=RegistrationMode(self.registration.data),
            capacity=self.capacity.data,
            registration_closes_at=(
                to_utc(self.registration_closes_at.data, self.timezone)
                if self.registration_closes_at.data
                else None
            ),
        )


def participants_field(label) -> IntegerField:
    """A count of people; left empty, it is unknown (not zero)."""
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100000)])


def _school_ids(form, field) -> None:
    if field.data and form.chosen_ids() is None:
        raise ValidationError(_("Choose the schools from the list."))


class ReportForm(FlaskForm):
    participants_teachers = participants_field(_l("Teachers"))
    participants_leaders = participants_field(_l("School leaders"))
    participants_students = participants_field(_l("Students"))
    participants_parents = participants_field(_l("Parents"))
    reached = TextAreaField(
        _l("Other schools, one per line"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "One school per line. Registered schools are linked by their name; "
            "other names are kept as written."
        ),
    )
    #: Registered schools chosen by search (ids, comma-separated; kept by the page's script).
    reached_ids = HiddenField(validators=[_school_ids])
    submit = SubmitField(_l("Save the report"))

    def chosen_ids(self) -> list[int] | None:
        """The chosen schools' ids, or None when the field is not a list of at most 200 ids."""
        parts = [part for part in (self.reached_ids.data or "").split(",") if part]
        if len(parts) > 200 or not all(part.isdigit() and len(part) <= 18 for part in parts):
            return None
        return sorted({int(part) for part in parts})


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel the activity"))


class RetractForm(FlaskForm):
    """Taking back the report of a held activity reported by mistake."""

    reason = TextAreaField(
        _l("Why the report is retracted"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "The activity is planned again: report it again as it really went, or cancel it."
        ),
    )
    submit = SubmitField(_l("Retract the report"))


def _plausible_date(form, field) -> None:
    if field.data and not EARLIEST_YEAR <= field.data.year <= 2100:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.", first=EARLIEST_YEAR, last=2100)
        )


class FeedFilterForm(FlaskForm):
    """The filters a calendar feed keeps (GET, no CSRF): the calendar's, but its dates.
    Invalid values answer 400."""

    class Meta:
        csrf = False

    type = SelectField(_l("Type"), choices=[], validators=[Optional()])
    pillar = SelectField(_l("Pillar"), choices=[], validators=[Optional()])
    region = SelectField(_l("Region"), choices=[], validators=[Optional()])
    language = SelectField(_l("Language"), choices=[], validators=[Optional()])

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.type.choices = everything + ActivityType.choices()
        self.pillar.choices = everything + pillar_choices()
        self.region.choices = everything + regions
        self.language.choices = everything + language_choices()

    def chosen(self) -> dict[str, str]:
        """The filters chosen, by name, for the address of a feed."""
        return {name: self[name].data for name in FEED_FILTERS if self[name].data}


#: The query parameters of a feed, in the order its address gives them.
FEED_FILTERS = ("region", "type", "pillar", "language")


class FilterForm(FeedFilterForm):
    """The calendar filters (GET, no CSRF): invalid values answer 400."""

    date_from = DateField(_l("From"), validators=[Optional(), _plausible_date])
    date_to = DateField(_l("Until"), validators=[Optional(), _plausible_date])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end of the period must not be before its start."))
