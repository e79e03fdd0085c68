"""Certificates of attendance: for a registrant present at a professional development
activity that was held, in the language they registered in, with a code anyone can check."""

from __future__ import annotations

import html
from datetime import date

import pytest
from babel.dates import format_date

from app.activities.enums import ActivityStatus, ActivityType
from app.certificates import codes
from app.registrations.models import Registration
from tests.certificates.support import (
    LETTERS,
    NAME,
    ORGANISER,
    TITLE,
    attend,
    code_in,
    course,
    pdf_fonts,
    pdf_text,
)
from tests.support.mentoring import po_text

#: The duration of the activity (2 h 30), as each language writes it.
HOURS = {"en": "2.5 hours", "nl": "2,5 uur", "tr": "2,5 saat", "nb": "2,5 timer", "ro": "2,5 ore"}
#: The fonts of app/core/static/css/report-fonts.css, and no other (no fallback).
VENDORED = {"Report-Sans", "Report-Sans-Semi-Bold", "Report-Serif-Semi-Bold"}


@pytest.mark.parametrize("locale", ["en", "nl", "tr", "nb", "ro"])
def test_the_certificate_is_in_the_registrants_language_with_every_letter(
    client, make, db_session, outbox, tmp_path, locale
):
    token, _id = attend(client, outbox, db_session, course(make), locale=locale)

    response = client.get(f"/registrations/{token}/certificate.pdf?lang=en")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.data, tmp_path)
    for exact in (NAME, TITLE, ORGANISER):
        assert exact in text
    assert set(LETTERS) <= set(text)
    # The registrant's language, not the request's (?lang=en): the catalogue's words, the
    # date as CLDR writes it (3 March 2026, 09:00 in Istanbul), the hours in words.
    assert po_text(locale, "Certificate of attendance") in text
    assert po_text(locale, "eTwinning School Network") in text
    assert format_date(date(2026, 3, 3), "long", locale=locale) in text
    assert HOURS[locale] in text
    assert pdf_fonts(response.data, tmp_path) == VENDORED


def test_the_code_of_the_certificate_checks_on_the_public_page(
    client, make, db_session, outbox, tmp_path
):
    token, registration_id = attend(client, outbox, db_session, course(make), locale="ro")
    code = code_in(pdf_text(client.get(f"/registrations/{token}/certificate.pdf").data, tmp_path))
    assert code.startswith(f"R-{registration_id}-")

    response = client.get(f"/certificates/{code}?lang=en")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "This certificate is valid." in page
    for shown in (NAME, TITLE, ORGANISER, "March 3, 2026", "2.5 hours", code):
        assert shown in page


def test_a_code_typed_by_hand_is_found_in_any_case_and_spacing(
    client, make, db_session, outbox, tmp_path
):
    token, _id = attend(client, outbox, db_session, course(make))
    code = code_in(pdf_text(client.get(f"/registrations/{token}/certificate.pdf").data, tmp_path))
    assert client.get("/certificates").status_code == 200

    typed = " " + code.lower().replace("-", " - ", 1) + " "
    response = client.get("/certificates", query_string={"code": typed})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/certificates/{code}")
    assert client.get("/certificates", query_string={"code": "R/1"}).status_code == 422


def _forgeries(code: str) -> list[str]:
    """The code with one character of its check changed, with another id, and as a
    certificate of mentoring."""
    stem, check = code.rsplit("-", 1)
    other = "A" if check[3] != "A" else "B"
    number = int(stem.split("-")[1])
    return [
        f"{stem}-{check[:3]}{other}{check[4:]}",
        f"R-{number + 1}-{check}",
        f"M-{number}-S-{check}",
        f"{stem}-{check[:-1]}",
    ]


def test_a_forged_or_mistyped_code_finds_no_certificate(client, make, db_session, outbox, tmp_path):
    token, _id = attend(client, outbox, db_session, course(make))
    # A second registrant (of another activity): the next id has a certificate too.
    attend(client, outbox, db_session, course(make), email="second@example.org")
    code = code_in(pdf_text(client.get(f"/registrations/{token}/certificate.pdf").data, tmp_path))

    for forged in _forgeries(code):
        response = client.get(f"/certificates/{forged}?lang=en")
        assert response.status_code == 404, forged
        page = response.get_data(as_text=True)
        assert "No certificate has this code." in page
        assert NAME not in page
    turkish = client.get(f"/certificates/{_forgeries(code)[0]}?lang=tr")
    assert turkish.status_code == 404
    assert po_text("tr", "No certificate has this code.") in turkish.get_data(as_text=True)


def test_a_registrant_marked_absent_gets_no_certificate(app, client, make, db_session, outbox):
    token, registration_id = attend(client, outbox, db_session, course(make), attended=0)

    assert client.get(f"/registrations/{token}/certificate.pdf").status_code == 404
    assert "Your certificate of attendance" not in client.get(
        f"/registrations/{token}?lang=en"
    ).get_data(as_text=True)
    with app.app_context():
        code = codes.for_registration(registration_id)
    assert client.get(f"/certificates/{code}").status_code == 404


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (ActivityType.OPEN_DAY, ActivityStatus.HELD),
        (ActivityType.INFO_SESSION, ActivityStatus.HELD),
        (ActivityType.PROFESSIONAL_DEVELOPMENT, ActivityStatus.PLANNED),
        (ActivityType.PROFESSIONAL_DEVELOPMENT, ActivityStatus.CANCELLED),
    ],
)
def test_only_a_professional_development_activity_that_was_held_gives_one(
    app, client, make, db_session, outbox, kind, status
):
    activity = course(make, type=kind)
    token, registration_id = attend(client, outbox, db_session, activity, status=status)

    assert client.get(f"/registrations/{token}/certificate.pdf").status_code == 404
    with app.app_context():
        code = codes.for_registration(registration_id)
    assert client.get(f"/certificates/{code}").status_code == 404


def test_the_registrants_page_offers_the_certificate_once_they_were_present(
    client, make, db_session, outbox
):
    token, registration_id = attend(client, outbox, db_session, course(make), attended=None)
    page = client.get(f"/registrations/{token}?lang=en").get_data(as_text=True)
    assert "Your certificate of attendance" not in page

    db_session.get(Registration, registration_id).attended = 2
    db_session.commit()
    page = client.get(f"/registrations/{token}?lang=en").get_data(as_text=True)

    assert "Your certificate of attendance" in page
    assert f'href="/registrations/{token}/certificate.pdf"' in page
    assert client.get(f"/registrations/{token}/certificate.pdf").status_code == 200


def test_a_made_up_registration_link_gets_no_certificate(client):
    assert client.get("/registrations/not-a-real-token/certificate.pdf").status_code == 404


def test_an_erased_registrants_certificate_still_checks_without_their_name(
    client, make, db_session, outbox, tmp_path
):
    token, registration_id = attend(client, outbox, db_session, course(make))
    code = code_in(pdf_text(client.get(f"/registrations/{token}/certificate.pdf").data, tmp_path))

    assert client.post(f"/registrations/{token}/erase").status_code == 302

    erased = db_session.get(Registration, registration_id)
    assert erased.anonymised_at is not None
    assert erased.name == ""
    response = client.get(f"/certificates/{code}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The holder's name has been deleted." in html.unescape(page)
    assert NAME not in page
    assert TITLE in page
    # Their own link is gone with their details: no PDF by it any more.
    assert client.get(f"/registrations/{token}/certificate.pdf").status_code == 404
