#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine with Node 20 for Coupler: the Debian packages the tests
# and the demo use, then the npm dependencies from the lockfile. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# mbpoll: the Modbus peer that cross-checks our meter simulator.
# strace: the test that every PUBACK is written after the fdatasync covering its record.
# postgresql: the store contract suite and leader election run on a real cluster the tests start.
# gcc-avr avr-libc arduino-core-avr: build the Arduino firmware; simavr libsimavr-dev libelf-dev
# pkg-config build-essential: its emulation harness; avrdude: flashing; socat: pty pairs.
# docker-compose: reads the compose files as compose does (no engine needed); prometheus: its
# promtool checks and unit-tests deploy/prometheus/alerts.yml.
# chromium: the headless browser that logs in to the Node-RED editor (playwright-core drives it).
# python3-pymodbus python3-serial-asyncio: the Modbus RTU peer (run by /usr/bin/python3) on a socat pty pair.
# mosquitto-clients python3-paho-mqtt: standard MQTT clients (mosquitto_pub/sub, Paho run by /usr/bin/python3) against the broker.
DEBIAN_PACKAGES=(mbpoll strace postgresql gcc-avr avr-libc arduino-core-avr simavr libsimavr-dev libelf-dev pkg-config build-essential avrdude socat docker-compose prometheus chromium python3-pymodbus python3-serial-asyncio mosquitto-clients python3-paho-mqtt python3-grpcio python3-grpc-tools)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
