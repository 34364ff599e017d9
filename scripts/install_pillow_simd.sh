#!/usr/bin/env bash
# Build pillow-simd from source, optimised and with SIMD, into the given venv.
# Idempotent: skips the build only when the venv's PIL is pillow-simd *and* its recorded
# compiler switches show -O2/-O3 plus the SIMD flag (scripts/check_pillow_build.py), so an
# older -O0 build in an existing .venv is rebuilt, not kept.
set -euo pipefail
venv=${1:-.venv}
version=${PILLOW_SIMD_VERSION:-12.1.1.post0}
simd_flags=${PILLOW_SIMD_CFLAGS:--mavx2}
here=$(dirname "$0")
if "$venv/bin/python" "$here/check_pillow_build.py" >/dev/null 2>&1; then
  echo "pillow-simd already installed (optimised build)"; exit 0
fi
"$venv/bin/pip" uninstall -y -q pillow pillow-simd >/dev/null 2>&1 || true
# CFLAGS must carry the optimisation level itself: with CC/CFLAGS in the environment the
# build does not reliably add Python's own -O3 (the first pass compiled at -O0 this way).
# -frecord-gcc-switches lets check_pillow_build.py prove how the binary was compiled.
CFLAGS="-O3 -DNDEBUG $simd_flags -frecord-gcc-switches" \
  "$venv/bin/pip" install -q --no-binary :all: --no-build-isolation --no-cache-dir "pillow-simd==$version"
"$venv/bin/python" "$here/check_pillow_build.py"
