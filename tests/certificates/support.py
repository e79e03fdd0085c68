"""A professional development activity that was held, its registrants, and reading the
certificates' PDFs (pdftotext and pdffonts, from poppler-utils: ``make poppler``)."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from app.activities.enums import ActivityStatus, ActivityType
from app.activities.models import Activity
from app.registrations.models import Registration
from tests.support.registrations import confirmed, open_day

#: The holder's name and the activity's title carry every letter of our languages beyond
#: ASCII that the vendored fonts must draw: ş ğ İ ı ț ș ă â î ø å æ ë.
NAME = "İpek Şahin-Kuşçu Brățianu-Sørensen"
TITLE = "Öğretmen atölyesi: învățare și mâine, lærer på Ærø, Zoë, Iğdır"
ORGANISER = "Kadıköy Anadolu Lisesi"
LETTERS = "şğİıțșăâîøåæë"
#: Held from 09:00 to 11:30 in Istanbul (UTC+3), on a day in the past.
STARTS_AT = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
ENDS_AT = STARTS_AT + timedelta(hours=2, minutes=30)

CODE = re.compile(r"\b(R-\d+-[A-Z2-7]{10}|M-\d+-[SM]-[A-Z2-7]{10})\b")


def course(make, **fields) -> SimpleNamespace:
    """A professional development activity open for registration (held later)."""
    fields.setdefault("type", ActivityType.PROFESSIONAL_DEVELOPMENT)
    return open_day(make, title=fields.pop("title", TITLE), **fields)


def attend(client, outbox, db_session, activity, *, attended=1, locale="en", **fields):
    """Register and confirm by the mail's link, then the activity is held (in the past)
    and the registrant marked present (``attended`` people): (token, registration id)."""
    status = fields.pop("status", ActivityStatus.HELD)
    token = confirmed(client, outbox, activity, name=fields.pop("name", NAME), **fields)
    row = db_session.get(Activity, activity.id)
    row.starts_at, row.ends_at, row.status = STARTS_AT, ENDS_AT, status
    registration = db_session.scalars(
        select(Registration)
        .where(Registration.activity_id == activity.id)
        .order_by(Registration.id.desc())
    ).first()
    registration.attended, registration.locale = attended, locale
    db_session.commit()
    return token, registration.id


def pdf_text(data: bytes, tmp_path) -> str:
    """The text of a PDF, its white space (line breaks included) collapsed to spaces."""
    assert data.startswith(b"%PDF-")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    text = subprocess.run(  # noqa: S603 - our own file
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return " ".join(text.split())


def pdf_fonts(data: bytes, tmp_path) -> set[str]:
    """The names of the fonts embedded in a PDF, without their subset prefix."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    listing = subprocess.run(  # noqa: S603 - our own file
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in listing if line.strip()}


def code_in(text: str) -> str:
    found = CODE.findall(text)
    assert found, text
    return found[0]
