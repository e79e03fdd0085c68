"""The letters each network country writes, to tell which code page a CSV file is in.

A file saved as "CSV" by Excel is in the Windows code page of the computer's language;
read in the wrong one, letters turn into others (Turkish ş, ğ and ı into þ, ð and ý in
Windows-1252; Norwegian å and ø into ĺ and ř in Windows-1250). The reading whose rows
hold the fewest letters their country does not write is the right one.
"""

from __future__ import annotations

LETTERS = {
    "TR": "çğıöşüâîûÇĞİÖŞÜÂÎÛ",
    "RO": "ăâîșțşţĂÂÎȘȚŞŢ",
    "NO": "æøåéèêóòôüÆØÅÉÈÊÓÒÔÜ",
    "NL": "éëèêïíóöüúáàäçĳÉËÈÊÏÍÓÖÜÚÁÀÄÇĲ",
    "BE": "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ",
}
#: Punctuation that names and addresses use in every country.
PUNCTUATION = "„“”‘’‚«»‹›–—…€°·§\u00a0"
ANY_COUNTRY = "".join(LETTERS.values()) + PUNCTUATION


def misread_letters(text: str) -> int:
    """How many characters of ``text`` are not letters the country of their row writes
    (a row names its country as a cell of its own; rows that name none use every one)."""
    count = 0
    for line in text.splitlines():
        unusual = [char for char in line if ord(char) > 127]
        if not unusual:
            continue
        alphabet = ANY_COUNTRY
        for code, letters in LETTERS.items():
            if any(f"{s}{code}{s}" in line for s in (";", ",", "\t")):
                alphabet = letters + PUNCTUATION
                break
        count += sum(char not in alphabet for char in unusual)
    return count
