#!/usr/bin/env bash
# Build the Dockerfile's base image from Debian packages, for machines that cannot pull
# python:3.11-slim-bookworm from a registry: Debian bookworm (debootstrap minbase) with
# python3 and python3-venv, no docs/man pages/locales (as in Debian's slim images).
# Prints the image name on stdout (progress goes to stderr); pass it as PYTHON_IMAGE.
#
# Cached: when `podman image exists` finds the tag nothing is built. The tag carries a hash
# of this script, so editing the recipe makes a new base. One build at a time per machine
# (flock): several checkouts may run `make image` at once.
set -euo pipefail
podman=${PODMAN:-podman}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tag="localhost/citizen-card-base:py311-bookworm-$(sha256sum "$0" | cut -c1-8)"

exec 9>/var/tmp/citizen-card-base.lock
flock 9
if $podman image exists "$tag"; then
  echo "$tag"
  exit 0
fi
started=$(date +%s)
rootfs=$(mktemp -d /var/tmp/citizen-card-base.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "base image: debootstrap bookworm into $rootfs" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >&2

cat > "$rootfs/etc/apt/sources.list" <<LIST
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$rootfs/etc/apt/apt.conf.d/90slim"
chroot "$rootfs" /bin/bash -euo pipefail -c '
  rm -rf /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/*
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
  apt-get clean
  rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/* /tmp/* /root/.cache
' >&2
: > "$rootfs/etc/resolv.conf"
: > "$rootfs/etc/hostname"
tar -C "$rootfs" --numeric-owner -c . |
  $podman import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$tag" >&2
echo "base image $tag built in $(( $(date +%s) - started )) s" >&2
echo "$tag"
