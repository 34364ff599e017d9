#!/usr/bin/env bash
# Build pillow-simd from source with AVX2 into the given venv, once.
# Skips the build when the venv already imports a pillow-simd PIL, so `make setup` stays idempotent.
set -euo pipefail
venv=${1:-.venv}
version=${PILLOW_SIMD_VERSION:-12.1.1.post0}
simd_flags=${PILLOW_SIMD_CFLAGS:--mavx2}
if "$venv/bin/python" - <<'PY' 2>/dev/null
import PIL, sys
sys.exit(0 if ".post" in PIL.__version__ and "simd" in (PIL.__file__ + str(getattr(PIL, "__simd__", "simd"))) else 1)
PY
then
  if "$venv/bin/pip" show pillow-simd >/dev/null 2>&1; then echo "pillow-simd already installed"; exit 0; fi
fi
"$venv/bin/pip" uninstall -y -q pillow pillow-simd >/dev/null 2>&1 || true
CC="cc $simd_flags" CFLAGS="$simd_flags" "$venv/bin/pip" install -q --no-binary :all: --no-build-isolation --no-cache-dir "pillow-simd==$version"
