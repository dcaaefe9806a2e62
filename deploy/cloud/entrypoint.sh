#!/bin/sh
# Entrypoint of the Coupler cloud image (cloud/Dockerfile). POSIX sh.
#
# The PostgreSQL password reaches the pg client as PGPASSWORD, never inside
# COUPLER_STORE_POSTGRES_URL. For Docker or Kubernetes secrets mounted as files,
# PGPASSWORD_FILE names a file whose first line becomes PGPASSWORD when PGPASSWORD is unset.
# exec: node replaces this shell, so the SIGTERM a stop sends reaches node itself.
set -eu

if [ -z "${PGPASSWORD:-}" ] && [ -n "${PGPASSWORD_FILE:-}" ]; then
  if [ ! -r "$PGPASSWORD_FILE" ]; then
    echo "entrypoint: PGPASSWORD_FILE $PGPASSWORD_FILE cannot be read" >&2
    exit 2
  fi
  # read fails on a last line without a newline but still sets the variable.
  IFS= read -r PGPASSWORD < "$PGPASSWORD_FILE" || true
  if [ -z "$PGPASSWORD" ]; then
    echo "entrypoint: PGPASSWORD_FILE $PGPASSWORD_FILE is empty" >&2
    exit 2
  fi
  export PGPASSWORD
fi
unset PGPASSWORD_FILE

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
app=$(CDPATH='' cd -- "$here/../.." && pwd)

exec node "$app/cloud/dist/src/main.js" "$@"
