#!/usr/bin/env bash
# Wagtail's own test suite, with and without the add-on (tests/peer/suite.py): creates .venv if
# needed, installs the add-on with the peer-suite extra, runs the baseline and the add-on's run
# and compares them. Exits non-zero on a test that passes without the add-on and not with it.
#   ./tests/peer/run.sh                      both runs, then the comparison
#   ./tests/peer/run.sh --addon-only         the add-on's run, against the last baseline
#   ./tests/peer/run.sh --addon-only --keepdb wagtail.admin.tests.test_privacy
#   ./tests/peer/run.sh --help               every option
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import dangwu_wagtail, freezegun, factory, tblib, azure.mgmt.cdn" \
        2>/dev/null || [ pyproject.toml -nt .venv/.installed-peer-suite ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[peer-suite]'
    touch .venv/.installed-peer-suite
fi

PYTHONPATH=. exec .venv/bin/python -m tests.peer.suite "$@"
