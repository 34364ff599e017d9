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
