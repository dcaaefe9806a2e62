#!/usr/bin/env bash
# One command on a fresh machine: set up, build, and run the local demo (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec npm run demo
