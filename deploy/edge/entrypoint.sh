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
#    hashes, from a configuration file (COUPLER_CONFIG) or the fleet variables COUPLER_API_KEYS
#    and COUPLER_BUS_USERS (balena.yml). There is no default. When none is given here, a hint
#    names the variables; the gateway's own configuration check then refuses to start.
# 4. exec: node replaces this shell, so the SIGTERM balena sends on stop reaches node itself.
set -eu

if [ "${BALENA:-}" = "1" ] && [ -z "${COUPLER_GATEWAY_ID:-}" ]; then
  if [ -z "${BALENA_DEVICE_UUID:-}" ]; then
    echo "entrypoint: BALENA=1 but BALENA_DEVICE_UUID is empty; set COUPLER_GATEWAY_ID" >&2
    exit 2
  fi
  COUPLER_GATEWAY_ID=$BALENA_DEVICE_UUID
  export COUPLER_GATEWAY_ID
fi

# Unset or the empty list balena.yml creates the fleet with.
missing_secrets=false
case ${COUPLER_API_KEYS:-} in '' | '[]') missing_secrets=true ;; esac
case ${COUPLER_BUS_USERS:-} in '' | '[]') missing_secrets=true ;; esac
if [ "$missing_secrets" = true ] && [ -z "${COUPLER_CONFIG:-}" ] && [ "${COUPLER_SECURITY_MODE:-production}" != development ]; then
  echo "entrypoint: set the fleet variables COUPLER_API_KEYS and COUPLER_BUS_USERS (scrypt hashes from --hash-secret; docs/operations.md)" >&2
fi

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
app=$(CDPATH='' cd -- "$here/../.." && pwd)

if [ "${UDEV:-off}" = "on" ]; then
  # A failure here is logged, not fatal: Modbus TCP and devices present at start still work.
  sh "$here/udev.sh" || echo "entrypoint: udev set-up failed; USB serial replug will not be seen" >&2
fi

exec node "$app/edge/dist/src/main.js" "$@"
