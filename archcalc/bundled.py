"""Where the bundled sample models are: one answer for ``archcalc samples`` and the web page.

A wheel installs them under ``<prefix>/share/archcalc/samples`` (pyproject.toml's
``data-files``); a checkout has them in ``samples/`` beside the package.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

SUFFIXES = (".yaml", ".py", ".ipynb", ".json")


def samples_dir() -> Path | None:
    """The checkout's samples when archcalc runs from a checkout (an editable install, or
    PYTHONPATH), else the installed ones; None when neither is there."""
    checkout = Path(os.path.abspath(__file__)).parent.parent
    candidates = [checkout / "samples" if (checkout / "pyproject.toml").is_file() else None,
                  Path(sysconfig.get_path("data")) / "share" / "archcalc" / "samples",
                  Path(sys.prefix) / "share" / "archcalc" / "samples"]
    return next((p for p in candidates if p is not None and p.is_dir()), None)


def sample_files(folder: Path) -> list[Path]:
    """The models (a custom-layer declaration file is not one), in subfolders too (vae/)."""
    return sorted((p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                   and p.name != "archcalc-layers.yaml"), key=lambda p: str(p.relative_to(folder)))
