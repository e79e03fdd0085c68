"""``python scripts/report_fonts.py``: the fonts of the PDF report, from the vendored ones.

WeasyPrint mixes up glyphs when one family is split over several files by
``unicode-range`` (the latin and latin-ext files of app/core/static/fonts), and it
instances variable fonts anew for every PDF. So the report has, for each weight it
uses, one static font merged from both files: Inter 400 and 600, Source Serif 4 600
(OFL-1.1, as the files they come from). Reproducible: the same input gives the same
files.
"""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

FONTS = Path(__file__).resolve().parent.parent / "app" / "core" / "static" / "fonts"
WANTED = (("inter", 400), ("inter", 600), ("source-serif-4", 600))


def static_font(family: str, weight: int) -> bytes:
    parts = []
    for subset in ("latin", "latin-ext"):
        font = TTFont(FONTS / f"{family}-{subset}-wght-normal.woff2")
        font.flavor = None
        font = instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
        part = io.BytesIO()
        font.save(part)
        part.seek(0)
        parts.append(part)
    merged = Merger().merge(parts)
    merged["head"].created = merged["head"].modified = 0  # the same bytes every time
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def main() -> None:
    for family, weight in WANTED:
        target = FONTS / "report" / f"{family}-{weight}.ttf"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(static_font(family, weight))
        print(f"{target.name}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
