#!/bin/sh
# Entrypoint of the Coupler edge image (edge/Dockerfile). POSIX sh.
#
# 1. On balena (BALENA=1) the gateway id defaults to the device UUID: COUPLER_GATEWAY_ID is set
#    from BALENA_DEVICE_UUID when it is unset or empty. An explicit COUPLER_GATEWAY_ID (device
#    or fleet variable) always wins. The buffer on /data remembers the id it was created for and
#    refuses another one, so keep the id stable for the life of the device.
# 2. With UDEV=on (docker-compose.yml sets it) and a privileged container, /dev is remounted as
#    a devtmpfs and udevd started, so USB serial adapters plugged in after start appear, with
#    their /dev/serial/by-id/ links (deploy/edge/udev.sh).
# 3. Secrets: the gateway needs API keys (api.keys) and broker users (bus.users), as scrypt
#    hashes, and with Node-RED on its credential secret, from a configuration file
#    (COUPLER_CONFIG) or the fleet variables of balena.yml. There is no default. A hint names
#    the variables still missing; the gateway's own configuration check then refuses to start.
# 4. Memory (docs/decisions/0015): glibc's malloc returns blocks from 128 KiB (e.g. the 16 MiB
#    of each scrypt check of a password) to the system when freed, instead of keeping them in a
#    thread's arena; the 256 MiB old-space limit makes V8 collect before the old generation grows
#    far past its live size. An explicit MALLOC_MMAP_THRESHOLD_ wins. The daemon runs from its
#    one-file bundle (scripts/bundle-edge.mjs, docs/decisions/0019): about 12 MiB less held.
#    V8 drops the bytecode and baseline code of a function not run since the last full
#    collection (its default waits for five): the start-up's code goes, 2.5-3 MiB idle, at no
#    CPU cost under load (docs/decisions/0024).
# 5. exec: node replaces this shell, so the SIGTERM balena sends on stop reaches node itself.
set -eu

if [ "${BALENA:-}" = "1" ] && [ -z "${COUPLER_GATEWAY_ID:-}" ]; then
  if [ -z "${BALENA_DEVICE_UUID:-}" ]; then
    echo "entrypoint: BALENA=1 but BALENA_DEVICE_UUID is empty; set COUPLER_GATEWAY_ID" >&2
    exit 2
  fi
  COUPLER_GATEWAY_ID=$BALENA_DEVICE_UUID
  export COUPLER_GATEWAY_ID
fi

# balena.yml creates the secret variables empty (no default secret): an empty credential
# secret is unset, so the gateway names it as missing rather than as too short.
[ -n "${COUPLER_NODE_RED_CREDENTIAL_SECRET:-}" ] || unset COUPLER_NODE_RED_CREDENTIAL_SECRET
missing=''
case ${COUPLER_API_KEYS:-} in '' | '[]') missing="$missing COUPLER_API_KEYS" ;; esac
case ${COUPLER_BUS_USERS:-} in '' | '[]') missing="$missing COUPLER_BUS_USERS" ;; esac
if [ "${COUPLER_NODE_RED_ENABLED:-false}" = true ] && [ -z "${COUPLER_NODE_RED_CREDENTIAL_SECRET:-}" ]; then
  missing="$missing COUPLER_NODE_RED_CREDENTIAL_SECRET"
fi
if [ -n "$missing" ] && [ -z "${COUPLER_CONFIG:-}" ] && [ "${COUPLER_SECURITY_MODE:-production}" != development ]; then
  echo "entrypoint: secrets missing; set the fleet variables:$missing (docs/operations.md, Deploy)" >&2
fi

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
app=$(CDPATH='' cd -- "$here/../.." && pwd)

if [ "${UDEV:-off}" = "on" ]; then
  # A failure here is logged, not fatal: Modbus TCP and devices present at start still work.
  sh "$here/udev.sh" || echo "entrypoint: udev set-up failed; USB serial replug will not be seen" >&2
fi

# Relative defaults (nodeRed.templatesDir: ./flows/templates) are relative to the image's /app.
cd "$app"
MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
export MALLOC_MMAP_THRESHOLD_
exec node --max-old-space-size=256 --bytecode-old-age=1 --flush-baseline-code "$app/edge/dist/src/main.bundle.js" "$@"
