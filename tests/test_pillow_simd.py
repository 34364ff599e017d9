"""The PIL we import must be our pillow-simd build, not stock Pillow pulled in by a dependency."""

import importlib.metadata as md
import shutil
import subprocess
from pathlib import Path

import PIL
import pytest
from PIL import Image


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
