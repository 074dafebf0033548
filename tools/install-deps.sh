#!/bin/sh
# install-deps.sh: installs what murafiq needs to build, run and test, from Debian packages
# (and playwright-core from npm for the browser test). Run by `make deps`; safe to run again.
set -eu

PKGS="build-essential ca-certificates pkg-config gettext sqlite3 libsqlite3-dev libmicrohttpd-dev libjansson-dev
libsodium-dev libicu-dev libcsv-dev libcmocka-dev nettle-dev curl clang-format chromium fonts-noto-core fonts-dejavu-core liboath-dev libqrencode-dev sqlmap
libpwquality-dev libcrack2-dev cracklib-runtime clang libclang-rt-14-dev"

SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO=sudo
fi

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js for the test tools: Debian's, unless a node is already installed.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
  echo "installing:$missing"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

# playwright-core drives Debian's chromium in the browser test; it never downloads a browser.
if [ ! -d node_modules/playwright-core ]; then
  npm install --no-audit --no-fund --loglevel=error ||
    { echo "install-deps: npm install failed (see above); the browser test needs playwright-core" >&2; exit 1; }
fi
echo "deps: ok"
