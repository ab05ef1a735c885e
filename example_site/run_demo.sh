#!/usr/bin/env bash
# Run the demo site from a fresh clone:
#
#     example_site/run_demo.sh
#
# Creates .venv at the repository root if it is missing, installs the add-on (editable, with
# its test extras, which bring dj-database-url and WhiteNoise), migrates, collects the static
# files, loads the demo content, starts the task worker in the background and serves the site
# on http://127.0.0.1:8000/ until Ctrl-C. load_demo prints the demo accounts' passwords.
# SQLite by default (example_site/db.sqlite3); set DATABASE_URL to use PostgreSQL. Set PYTHON
# to choose the interpreter that creates the virtualenv (Python 3.11 or later).
set -euo pipefail

SITE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$SITE_DIR")"
VENV_PYTHON="$REPO_DIR/.venv/bin/python"

if [[ ! -x "$VENV_PYTHON" ]]; then
    echo "Creating the virtualenv in $REPO_DIR/.venv"
    "${PYTHON:-python3}" -m venv "$REPO_DIR/.venv"
fi

# Install when something is missing or pyproject.toml changed since the last install (the same
# marker file as runtests.sh).
if ! "$VENV_PYTHON" -c "import dangwu_wagtail, dj_database_url, whitenoise" 2>/dev/null \
    || [[ "$REPO_DIR/pyproject.toml" -nt "$REPO_DIR/.venv/.installed" ]]; then
    echo "Installing dangwu-wagtail and its dependencies"
    (cd "$REPO_DIR" && "$VENV_PYTHON" -m pip install --quiet -e '.[test]')
    touch "$REPO_DIR/.venv/.installed"
fi

cd "$SITE_DIR"
"$VENV_PYTHON" manage.py migrate --noinput
# Static files as WhiteNoise serves them: hashed names and gzipped copies.
"$VENV_PYTHON" manage.py collectstatic --noinput --verbosity 0
"$VENV_PYTHON" manage.py load_demo --base-url http://127.0.0.1:8000
# The task worker: it sends the queued emails (printed to its log) and runs scheduled
# publishing and the weekly lists, without cron. Stopped with the server.
WORKER_LOG="$SITE_DIR/worker.log"
"$VENV_PYTHON" manage.py dangwu_worker --no-reload >"$WORKER_LOG" 2>&1 &
WORKER_PID=$!
trap 'kill "$WORKER_PID" 2>/dev/null || true' EXIT
echo "The task worker runs in the background (process $WORKER_PID); its log, with the emails: $WORKER_LOG"
"$VENV_PYTHON" manage.py runserver 127.0.0.1:8000
