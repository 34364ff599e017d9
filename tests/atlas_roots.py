"""Atlas roots of a test's own: copies of a published version (hard links where they can be)
under a `current` pointer the test may swap, as atlas_builder.publish does. The fixtures on
top of these (base_atlas_version, private_atlas, serve) are in conftest.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from service.atlas import format as fmt


def clone_atlas_root(source_version: Path, root: Path, *, link: bool = True) -> Path:
    """An atlas root at `root` whose `current` is a copy of `source_version` (hard links if
    `link`: never write into such a file, it is the source's too)."""
    versions = root / fmt.VERSIONS
    versions.mkdir(parents=True)
    target = versions / source_version.name
    try:
        shutil.copytree(source_version, target, copy_function=os.link if link else shutil.copy2)
    except OSError:  # another file system: copy
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source_version, target)
    point_current(root, source_version.name)
    return root


def point_current(root: Path, version: str) -> None:
    """Swap root/current to versions/<version> atomically (as atlas_builder.publish does)."""
    link = root / f".{fmt.CURRENT}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(fmt.VERSIONS) / version)
    os.replace(link, root / fmt.CURRENT)
