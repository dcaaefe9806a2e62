#!/bin/sh
# Makes hot-plugged USB serial devices visible in a privileged container (UDEV=on): mounts a
# devtmpfs over /dev, keeping the container's shm, mqueue, pts and console mounts, then starts
# udevd (in its own network namespace, so it never renames the host's network interfaces) and
# replays the events of the devices already present. udev's rules then create the
# /dev/serial/by-id/ links the configuration refers to. The same steps the deprecated balenalib
# images ran for UDEV=on (docs/decisions/0042). Run as root by deploy/edge/entrypoint.sh only.
set -eu

if [ "$(id -u)" != "0" ]; then
  echo "udev: needs root" >&2
  exit 1
fi

probe=$(mktemp -d)
if ! mount -t devtmpfs none "$probe" 2>/dev/null; then
  rmdir "$probe"
  echo "udev: cannot mount a devtmpfs: the container is not privileged" >&2
  exit 1
fi

# Move the container's own mounts under /dev onto the new devtmpfs, then put it in place.
for sub in shm mqueue pts; do
  if mountpoint -q "/dev/$sub"; then
    mkdir -p "$probe/$sub"
    mount --move "/dev/$sub" "$probe/$sub"
  fi
done
if mountpoint -q /dev/console; then
  touch "$probe/console"
  mount --move /dev/console "$probe/console"
fi
umount /dev 2>/dev/null || true
mount --move "$probe" /dev
rmdir "$probe" 2>/dev/null || true
# devpts is mounted with newinstance: /dev/ptmx must point at its ptmx.
ln -sf /dev/pts/ptmx /dev/ptmx

if command -v udevd >/dev/null 2>&1; then
  udevd=$(command -v udevd)
else
  udevd=/lib/systemd/systemd-udevd
fi
unshare --net "$udevd" --daemon
udevadm trigger --action=add
udevadm settle --timeout=10 || true
echo "udev: started; /dev follows hot-plug"
