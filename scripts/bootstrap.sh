#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the locked dependencies.
# Works with uv when it is on PATH, and with nothing but a Python >= 3.12 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

python_is_recent() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
        "$HOME"/.pyenv/versions/3.13*/bin/python "$HOME"/.pyenv/versions/3.12*/bin/python \
        /root/.pyenv/versions/3.13*/bin/python /root/.pyenv/versions/3.12*/bin/python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 && python_is_recent "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if [ -x .venv/bin/python ] && python_is_recent .venv/bin/python; then
    :
else
    PY="$(find_python)" || {
        echo "Koe needs Python 3.12 or newer. Install it, or set PYTHON=/path/to/python3.12." >&2
        exit 1
    }
    echo "Using $PY"
    rm -rf .venv
    "$PY" -m venv .venv
fi

stamp=.venv/.koe-installed
if [ ! -f "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
    if ! .venv/bin/python -m uv --version >/dev/null 2>&1; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.13"
    fi
    .venv/bin/python -m uv pip install --quiet --python .venv/bin/python -r requirements.lock
    touch "$stamp"
fi
