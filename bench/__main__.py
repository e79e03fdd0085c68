"""``python -m bench``: every benchmark, one table, against the design's budgets.

The page benchmarks need full-scale data; ``make bench`` generates it once per
database with ``flask demo --schools 300000 --events 2000000`` (see the Makefile).
Databases come from BENCH_SQLITE_URL and BENCH_POSTGRES_URL.
"""

from __future__ import annotations

import os
import sys

from bench import importing, matching, pages
from bench.timing import table


def main() -> int:
    measures = matching.run() + importing.run()
    for variable, label in (("BENCH_SQLITE_URL", "SQLite"), ("BENCH_POSTGRES_URL", "PostgreSQL")):
        url = os.environ.get(variable)
        if url:
            measures += pages.run(url, label)
        else:
            print(f"{variable} is not set: {label} page benchmarks skipped", file=sys.stderr)
    print(table(measures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
