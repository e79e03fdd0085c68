"""``python -m bench``: every benchmark, one table, against the design's budgets.

The page benchmarks need full-scale data; ``make bench`` generates it once per
database with ``flask demo --schools 300000 --events 2000000`` (see the Makefile).
Databases come from BENCH_SQLITE_URL and BENCH_POSTGRES_URL.
"""

from __future__ import annotations

import os
import sys

from bench import export_page, import_page, importing, mail, matching, memory, pages
from bench.timing import table


def main() -> int:
    measures = []
    only = set(sys.argv[1:])  # e.g. "python -m bench pages" runs the page (and memory) ones
    if not only or "matching" in only:
        measures += matching.run()
        print(table(measures), flush=True)
    if not only or "import" in only:
        measures += importing.run()
        measures += import_page.run()
        print(table(measures), flush=True)
    if not only or "mail" in only:
        measures += mail.run()
        print(table(measures), flush=True)
    if not only or "pages" in only:
        for variable, label in (
            ("BENCH_SQLITE_URL", "SQLite"),
            ("BENCH_POSTGRES_URL", "PostgreSQL"),
        ):
            url = os.environ.get(variable)
            if url:
                measures += pages.run(url, label)
                measures += memory.run(url, label)
                measures += export_page.run(url, label)
                print(table(measures), flush=True)
            else:
                print(f"{variable} is not set: {label} page benchmarks skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
