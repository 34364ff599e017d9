#!/usr/bin/env bash
# Install pillow-simd, optimised and with SIMD, into the given venv, from a wheel compiled once
# and kept in a cache directory (default build/pillow-simd): `make setup` compiles it there,
# and the image build (deploy/Dockerfile) gets that directory in its context and installs the
# same wheel instead of compiling pillow-simd a second time.
# The subdirectory is named by a hash of the recipe: version, compiler flags and the venv's
# Python ABI, glibc and OS release (the wheel links that release's libraries), so a wheel is
# only ever installed where it was built for; anywhere else (another Python, another Debian)
# it is compiled again. The installed build must pass scripts/check_pillow_build.py; a cached
# wheel that does not is compiled again too.
# Idempotent: skips everything when the wheel is cached and the venv's PIL is pillow-simd *and*
# its recorded compiler switches show -O2/-O3 plus the SIMD flag, so an older -O0 build in an
# existing .venv is replaced, not kept.
set -euo pipefail
venv=${1:-.venv}
wheels=${2:-build/pillow-simd}
version=${PILLOW_SIMD_VERSION:-12.1.1.post0}
simd_flags=${PILLOW_SIMD_CFLAGS:--mavx2}
here=$(dirname "$0")
# CFLAGS must carry the optimisation level itself: with CC/CFLAGS in the environment the
# build does not reliably add Python's own -O3 (the first pass compiled at -O0 this way).
# -frecord-gcc-switches lets check_pillow_build.py prove how the binary was compiled.
cflags="-O3 -DNDEBUG $simd_flags -frecord-gcc-switches"
# Only features whose libraries the image has too: the optional ones that a host's other -dev
# packages switch on (X11 screen grabs through libxcb, TIFF, JPEG 2000, AVIF, libimagequant;
# the card uses none) are off, so the wheel `make setup` compiles links nothing the image lacks.
options="-C xcb=disable -C tiff=disable -C jpeg2000=disable -C avif=disable -C imagequant=disable"
platform=$("$venv/bin/python" -c 'import platform, sysconfig
release = platform.freedesktop_os_release()
print(sysconfig.get_config_var("SOABI"), "glibc-" + platform.libc_ver()[1], release["ID"] + "-" + release.get("VERSION_ID", ""))')
recipe="pillow-simd $version, CFLAGS $cflags, $options, for $platform"
cache="$wheels/$(printf '%s' "$recipe" | sha256sum | cut -c1-16)"

if compgen -G "$cache/*.whl" >/dev/null && "$venv/bin/python" "$here/check_pillow_build.py" >/dev/null 2>&1; then
  echo "pillow-simd already installed (optimised build; wheel cached in $cache)"; exit 0
fi

install_cached_wheel() {
  compgen -G "$cache/*.whl" >/dev/null || return 1
  "$venv/bin/pip" uninstall -y -q pillow pillow-simd >/dev/null 2>&1 || true
  "$venv/bin/pip" install -q --no-deps --no-index "$cache"/*.whl && "$venv/bin/python" "$here/check_pillow_build.py"
}

if install_cached_wheel; then
  echo "installed the cached wheel $cache ($recipe)"; exit 0
fi
echo "compiling a wheel into $cache ($recipe)"
rm -rf "$cache"
mkdir -p "$cache"
# shellcheck disable=SC2086 # $options: one word per option
CFLAGS="$cflags" "$venv/bin/pip" wheel -q --no-deps --no-binary :all: --no-build-isolation --no-cache-dir \
  $options -w "$cache" "pillow-simd==$version"
echo "$recipe" > "$cache/recipe"
install_cached_wheel
