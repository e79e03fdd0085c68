"""Regenerate docs/screenshots/: the signed-in home of each role, a proposal, the calendar
and the dashboard, at 1366 and 375 px wide, in two languages each.

Run by `make screenshots`. The pages come from a temporary SQLite database filled with
deterministic demo data, served on a free local port and photographed by Playwright in
Debian's Chromium (CHROMIUM_PATH, /usr/bin/chromium by default). Screenshots show the
viewport only and are re-compressed, to keep the committed files small.
"""

from __future__ import annotations

import os
import struct
import sys
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = ROOT / "docs" / "screenshots"
SIZES = {"1366": (1366, 768), "375": (375, 812)}
#: The browser's own language for each of the app's: date fields follow it.
BROWSERS = {"en": "en-GB", "nl": "nl-NL", "tr": "tr-TR", "nb": "nb-NO", "ro": "ro-RO"}
DEMO = ["demo", "--schools", "120", "--events", "600", "--seed", "7"]


@dataclass(frozen=True)
class Shot:
    name: str
    role: str  # a key of the accounts found in the demo data
    path: str  # a key of the paths found in the demo data, or the path itself
    locales: tuple[str, str]


SHOTS = (
    Shot("home-school", "school_admin", "/home", ("ro", "en")),
    Shot("home-mentor", "mentor", "/home", ("nb", "en")),
    Shot("home-coordinator", "coordinator", "/home", ("tr", "en")),
    Shot("home-admin", "admin", "/home", ("en", "nl")),
    Shot("proposal", "mentor", "proposal", ("nb", "en")),
    Shot("calendar", "coordinator", "/calendar/TR", ("tr", "en")),
    Shot("dashboard", "coordinator", "/dashboards/TR", ("tr", "en")),
)


def build_app(database: Path):
    from app import create_app
    from app.core.config import TestConfig

    class Screenshots(TestConfig):
        TESTING = False
        WTF_CSRF_ENABLED = True
        SERVER_NAME = None
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"

    app = create_app(Screenshots)
    runner = app.test_cli_runner()
    for args in (
        ["db", "upgrade"],
        ["pillars", "load"],
        ["regions", "load", "TR", "RO", "NO", "NL", "BE"],
        DEMO,
    ):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{result.output}")
    return app


def find_people(app) -> tuple[dict[str, str], dict[str, str]]:
    """The demo accounts to photograph, and the pages found in the data (a proposal). The
    Romanian school admin gets a request to join, so that the home shows one."""
    from sqlalchemy import select

    from app.accounts.enums import MembershipRole, MembershipStatus
    from app.accounts.models import Membership, User
    from app.accounts.operations import create_user
    from app.core.extensions import db
    from app.mentoring.enums import MatchStatus
    from app.mentoring.models import Match, MatchRun, MentorProfile
    from app.schools.enums import SchoolStatus
    from app.schools.models import School
    from app.schools.operations import request_membership

    with app.test_request_context():
        admin_email, school = db.session.execute(
            select(User.email, School)
            .join(Membership, Membership.user_id == User.id)
            .join(School, School.id == Membership.school_id)
            .where(
                School.country_code == "RO",
                School.status == SchoolStatus.VERIFIED,
                Membership.role == MembershipRole.ADMIN,
                Membership.status == MembershipStatus.APPROVED,
                User.email.like("member.%"),
            )
            .order_by(User.email)
        ).first()
        applicant = create_user("andrei.ionescu@example.org", "Andrei Ionescu", verified=True)
        request_membership(school, applicant)
        proposal, mentor_email = db.session.execute(
            select(Match.id, User.email)
            .join(MentorProfile, Match.mentor_id == MentorProfile.id)
            .join(User, User.id == MentorProfile.user_id)
            .outerjoin(MatchRun, Match.run_id == MatchRun.id)
            .where(
                Match.status == MatchStatus.PROPOSED,
                MentorProfile.country_code == "NO",
                (Match.run_id.is_(None)) | (MatchRun.confirmed_at.is_not(None)),
            )
            .order_by(Match.id)
        ).first()
        db.session.commit()
    accounts = {
        "school_admin": admin_email,
        "mentor": mentor_email,
        "coordinator": "coordinator.tr@example.org",
        "admin": "admin@example.org",
    }
    return accounts, {"proposal": f"/mentoring/matches/{proposal}"}


def set_locale(app, email: str, locale: str) -> None:
    """The user's saved language, which every page of theirs follows."""
    from sqlalchemy import update

    from app.accounts.models import User
    from app.core.extensions import db

    with app.app_context():
        db.session.execute(update(User).where(User.email == email).values(locale=locale))
        db.session.commit()


def recompress(path: Path) -> None:
    """The PNG's image data at zlib's best compression, without its other chunks."""
    data = path.read_bytes()
    position, chunks, image = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IDAT":
            image += body
        elif kind in (b"IHDR", b"PLTE", b"IEND"):
            chunks.append((kind, body))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    packed = zlib.compress(zlib.decompress(image), 9)
    header, *rest = chunks
    out = data[:8] + chunk(*header)
    out += b"".join(chunk(k, b) for k, b in rest if k != b"IEND")
    out += chunk(b"IDAT", packed) + chunk(b"IEND", b"")
    if len(out) < len(data):
        path.write_bytes(out)


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{base}/home")


def photograph(app, base: str, accounts: dict[str, str], paths: dict[str, str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from app.demo.world import PASSWORD

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    TARGET.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for role, email in accounts.items():
            shots = [shot for shot in SHOTS if shot.role == role]
            locales = sorted({locale for shot in shots for locale in shot.locales})
            for size, (width, height) in SIZES.items():
                for locale in locales:
                    # The browser's language too: date fields and number inputs follow it.
                    set_locale(app, email, locale)
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale=BROWSERS[locale]
                    )
                    page = context.new_page()
                    sign_in(page, base, email, PASSWORD)
                    for shot in shots:
                        if locale not in shot.locales:
                            continue
                        page.goto(base + paths.get(shot.path, shot.path))
                        page.wait_for_load_state("networkidle")
                        file = TARGET / f"{shot.name}-{locale}-{size}.png"
                        page.screenshot(path=str(file), animations="disabled", caret="hide")
                        recompress(file)
                        written.append(file)
                    context.close()
        browser.close()
    return written


def main() -> None:
    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder) / "screenshots.sqlite")
        accounts, paths = find_people(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            written = photograph(app, f"http://127.0.0.1:{server.server_port}", accounts, paths)
        finally:
            server.shutdown()
            thread.join(timeout=5)
    total = sum(file.stat().st_size for file in written)
    print(f"{len(written)} screenshots in {TARGET.relative_to(ROOT)}, {total // 1024} kB in all")


if __name__ == "__main__":
    main()
