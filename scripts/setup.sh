#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine with Node 20 for Coupler: the Debian packages the tests
# and the demo use, then the npm dependencies from the lockfile. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-debian-packages.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
