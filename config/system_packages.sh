#!/bin/sh
# The Debian packages Jiceng needs beyond Python's: a CJK font for printed notices and forms
# (the PyPI face stands in without it) and Chromium for the browser tests. Installed where
# this runs as root with apt-get; one line says what was installed, or why it could not be.
# Never fails the make target: without them PDFs use the bundled font and browser tests skip
# (CI requires them, so a machine where this could not install them fails there).
missing=""
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $package"
done
if [ -z "$missing" ]; then
    echo "system packages: already installed:$*" | sed 's/:\([^ ]\)/: \1/'
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system packages: not installed:$missing (needs root and apt-get; install them yourself)"
    exit 0
fi
log=$(mktemp)
if apt-get update -qq >"$log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing \
        >>"$log" 2>&1; then
    echo "system packages: installed$missing"
else
    echo "system packages: could not install$missing: $(grep -E '^(E|W):' "$log" | head -n 1)"
fi
rm -f "$log"
exit 0
