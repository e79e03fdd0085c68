"""``python -m tests.support.postgres URL``: exit 0 when that PostgreSQL server answers."""

import sys

import psycopg


def main(url: str) -> int:
    try:
        psycopg.connect(
            url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=5
        ).close()
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
