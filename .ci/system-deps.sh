#!/usr/bin/env bash
# Install the Debian packages listed in system-deps.txt that are not installed yet.
# Installs nothing when everything is present; says plainly what it needs when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
# each line: PACKAGE [COMMAND]; with a COMMAND already on the PATH, the package is not needed
wanted=()
while read -r pkg cmd _; do
  [ -n "$pkg" ] || continue
  if [ -n "${cmd:-}" ] && command -v "$cmd" >/dev/null 2>&1; then
    continue
  fi
  wanted+=("$pkg")
done < <(sed -e 's/#.*//' system-deps.txt)
if [ ${#wanted[@]} -eq 0 ]; then
  echo "system-deps: nothing to install"
  exit 0
fi
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: all present (${wanted[*]})"
  exit 0
fi
echo "system-deps: missing Debian packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: apt-get is not available; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "system-deps: installing needs root (apt-get). Run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
