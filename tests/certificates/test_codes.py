"""Verification codes: derived from what a certificate is of with a key, so that no one
without the key makes one that checks, and any mistyped character fails."""

from __future__ import annotations

import pytest

from app.certificates import codes
from app.certificates.codes import Side, Subject

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_a_code_names_what_it_was_made_for(app_ctx):
    assert codes.subject(codes.for_registration(42)) == Subject("R", 42)
    assert codes.subject(codes.for_match(7, Side.MENTOR)) == Subject("M", 7, Side.MENTOR)
    assert codes.subject(codes.for_match(7, Side.MENTORED)) == Subject("M", 7, Side.MENTORED)
    assert len({codes.for_match(7, side) for side in Side} | {codes.for_registration(7)}) == 3


def test_any_character_changed_makes_a_code_that_does_not_check(app_ctx):
    code = codes.for_match(1234, Side.MENTORED)
    for position, character in enumerate(code):
        for other in (ALPHABET + "0189-") if character != "-" else "AM":
            if other != character:
                changed = code[:position] + other + code[position + 1 :]
                assert codes.subject(changed) is None, changed


def test_case_and_spaces_do_not_matter_but_leading_zeros_do(app_ctx):
    code = codes.for_registration(5)
    assert codes.subject(f"  {code.lower()[:4]} {code.lower()[4:]} ") == Subject("R", 5)
    assert codes.subject(code.replace("R-5-", "R-05-")) is None


@pytest.mark.parametrize(
    "typed",
    ["", "R", "R-1", "R--ABCDEFGHJK", f"R-{2**63}-ABCDEFGHJK", "R-1-" + "A" * 40, "x" * 1000],
)
def test_malformed_codes_are_refused(app_ctx, typed):
    assert codes.subject(typed) is None


def test_the_key_is_the_certificate_key_or_else_the_secret_key(app_ctx, monkeypatch):
    with_secret_key = codes.for_registration(9)
    monkeypatch.setitem(app_ctx.config, "CERTIFICATE_KEY", "another key for the certificates")
    assert codes.for_registration(9) != with_secret_key
    assert codes.subject(with_secret_key) is None
    monkeypatch.setitem(app_ctx.config, "SECRET_KEY", "a secret key changed since")
    assert codes.subject(codes.for_registration(9)) == Subject("R", 9)
