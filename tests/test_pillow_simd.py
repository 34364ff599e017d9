"""The PIL we import must be our pillow-simd build, not stock Pillow pulled in by a dependency."""

import importlib.metadata as md
import os
import shutil
import subprocess
import sys
from pathlib import Path

import PIL
import pytest
from PIL import Image

from tests.conftest import ROOT


def test_imported_pil_is_pillow_simd():
    assert ".post" in PIL.__version__, f"PIL {PIL.__version__} lacks the pillow-simd version marker"
    owner = md.distribution("pillow-simd")
    files = {str(f) for f in owner.files or []}
    assert "PIL/__init__.py" in files
    assert Path(PIL.__file__).resolve() == Path(owner.locate_file("PIL/__init__.py")).resolve()


def test_stock_pillow_is_not_installed():
    with pytest.raises(md.PackageNotFoundError):
        md.distribution("pillow")


@pytest.mark.skipif(shutil.which("objdump") is None, reason="binutils missing")
def test_core_was_built_with_avx2():
    core = Path(Image.core.__file__)
    disassembly = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(core)], capture_output=True,
                                 text=True, check=True).stdout
    # AVX2 integer ops on 256-bit registers only appear when compiled with -mavx2.
    assert "vpmaddubsw" in disassembly or "%ymm" in disassembly


def _checker():
    import importlib.util
    spec = importlib.util.spec_from_file_location("check_pillow_build",
                                                  Path(__file__).parents[1] / "scripts" / "check_pillow_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pillow_simd_was_compiled_with_optimisation():
    """The recorded gcc switches of PIL's C extensions (the core, FreeType text, ...) show
    -O2/-O3 and a SIMD flag (no timing involved). Not skipped without readelf: `make setup`
    installs binutils, and a skip would let an unoptimised build through CI unseen."""
    assert shutil.which("readelf"), "readelf (binutils) is missing: run make setup"
    assert _checker().problems() == []


@pytest.mark.skipif(shutil.which("readelf") is None or shutil.which("cc") is None, reason="binutils/cc missing")
@pytest.mark.parametrize("flags, ok", [(["-O0", "-mavx2"], False), ([], False), (["-O3"], False),
                                       (["-O3", "-O0", "-mavx2"], False), (["-O2", "-mavx2"], True)])
def test_build_check_reads_real_switches(tmp_path, flags, ok):
    """The checker, fed a real object compiled with the given flags, accepts only optimised SIMD builds."""
    source = tmp_path / "x.c"
    source.write_text("int f(int a) { return a + 1; }\n")
    shared = tmp_path / "x.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-frecord-gcc-switches", *flags, str(source), "-o", str(shared)],
                   check=True)
    checker = _checker()
    assert (checker.switch_problems(checker.recorded_switches(shared)) == []) is ok


def test_another_venv_installs_the_wheel_make_setup_compiled(tmp_path):
    """`make setup` keeps the pillow-simd wheel it compiled (build/pillow-simd/), and the install
    script puts that wheel into another venv of the same Python without compiling again: what
    the image build does with it (deploy/Dockerfile), so pillow-simd is compiled once per run."""
    cached = sorted((ROOT / "build" / "pillow-simd").glob("*/*.whl"))
    assert cached, "no pillow-simd wheel in build/pillow-simd/: run make setup"
    wheels = tmp_path / "wheels"
    shutil.copytree(ROOT / "build" / "pillow-simd", wheels)
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PILLOW_SIMD_")}
    installed = subprocess.run(["bash", str(ROOT / "scripts" / "install_pillow_simd.sh"), str(venv), str(wheels)],
                               capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "installed the cached wheel" in installed.stdout, installed.stdout
    assert "compiling" not in installed.stdout
    assert sorted(wheels.glob("*/*.whl"))[0].read_bytes() == cached[0].read_bytes()
