#!/usr/bin/env bash
# Installs the system packages the test suite needs (Chromium, Noto fonts, gettext) when they
# are missing. Uses apt-get as root (or through passwordless sudo); otherwise says what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -n "${KOE_CHROMIUM:-}" ] || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -q "Noto Sans Myanmar" || missing+=(fonts-noto-core)
# WeasyPrint draws posters and reports with Pango.
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Please install: ${missing[*]} (Debian/Ubuntu: apt-get install ${missing[*]})," >&2
    echo "or set KOE_CHROMIUM=/path/to/chromium." >&2
    exit 1
fi
echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
