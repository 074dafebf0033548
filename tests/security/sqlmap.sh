#!/bin/sh
# sqlmap.sh: runs Debian's sqlmap against every parameter of every route of a test server
# (tests/security/sqlmap.mjs says how); fails when a parameter is injectable, when a route's
# parameters are missing from tests/security/sqlmap-params.mjs, or when sqlmap could not test.
# Usage: MURAFIQ_BIN=build/murafiq sh tests/security/sqlmap.sh   (make sqlmap does this)
set -eu
cd "$(dirname "$0")/../.."
command -v sqlmap >/dev/null || { echo "sqlmap: not installed (apt-get install sqlmap)" >&2; exit 1; }
: "${MURAFIQ_BIN:=build/murafiq}"
export MURAFIQ_BIN
exec node tests/security/sqlmap.mjs
