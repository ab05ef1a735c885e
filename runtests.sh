#!/usr/bin/env bash
# Runs the test suite from a fresh clone: creates .venv if needed, installs the add-on with its
# test extras, then runs pytest on two workers. SQLite by default; set DATABASE_URL for
# PostgreSQL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangwu ./runtests.sh
# Extra arguments go to pytest: ./runtests.sh tests/test_pages.py -k catalog
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import dangwu_wagtail, pytest_django, xdist" 2>/dev/null \
    || [ pyproject.toml -nt .venv/.installed ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    touch .venv/.installed
fi

exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
