"""Release check (run by .ci/run after `python -m build`): install the built wheel in a fresh
virtual environment, away from the checkout, and use it as a new user would.

- `archcalc --version` is the project's version;
- `archcalc samples cnn` finds a sample the wheel ships, and `archcalc summary` reads it;
- the schemas ship, and the JSON report validates against its schema;
- what archcalc tells a user (hints of common errors) points at nothing the wheel does not ship:
  no `samples/`, `tests/`, `docs/` paths and no README.

Usage: python tests/release_check.py dist/archcalc-X.Y.Z-py3-none-any.whl
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: paths of the checkout that a message to a user of the wheel must not name
CHECKOUT_ONLY = re.compile(r"\b(samples|tests|docs)/|README")


def run(cmd: list[str], cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    if proc.returncode not in ok:
        raise SystemExit(f"release check: `{' '.join(cmd)}` exited {proc.returncode}:\n{out}")
    return out


def main(wheel: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f"-{version}-" in wheel.name, f"{wheel.name} is not version {version}"
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("archcalc/schemas/summary.schema.json", f"archcalc-{version}.data/data/share/archcalc/samples/cnn.yaml"):
        assert needed in names, f"the wheel does not ship {needed}"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        venv.create(home / "venv", with_pip=True)
        bin_dir = home / "venv" / ("Scripts" if os.name == "nt" else "bin")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "")]), NO_COLOR="1", COLUMNS="100",
                   PIP_DISABLE_PIP_VERSION_CHECK="1")
        work = home / "work"  # not the checkout: nothing of it can be found from here
        work.mkdir()
        run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], work, env)
        archcalc = str(bin_dir / "archcalc")
        out = run([archcalc, "--version"], work, env)
        assert version in out, out
        sample = run([archcalc, "samples", "cnn"], work, env).strip()
        assert Path(sample).is_file() and str(home) in sample, sample
        out = run([archcalc, "summary", sample], work, env)
        assert "Total params: 3,938,570" in out, out
        listing = run([archcalc, "samples"], work, env)
        assert "cnn.yaml" in listing and "unet.yaml" in listing, listing
        # the JSON report against the schema the wheel ships
        check = ("import json, subprocess, sys\nfrom importlib import resources\n"
                 "schema = json.loads(resources.files('archcalc').joinpath('schemas/summary.schema.json').read_text())\n"
                 "doc = json.loads(subprocess.run(['archcalc', 'summary', sys.argv[1], '--format', 'json'],"
                 " capture_output=True, text=True, check=True).stdout)\n"
                 "assert set(schema['required']) <= set(doc), set(schema['required']) - set(doc)\n")
        run([str(bin_dir / "python"), "-c", check, sample], work, env)
        # hints a new user meets first
        cases = {"empty.yaml": "", "typo.yaml": "input: [4]\nlayers:\n  - Dense(2\n",
                 "nolayers.yaml": "name: x\n", "unknown.yaml": "input: [4]\nlayers:\n  - Dens(2)\n",
                 "custom.yaml": "input: [4]\nlayers:\n  - MyLayer(2)\n"}
        messages = []
        for name, text in cases.items():
            (work / name).write_text(text)
            messages.append(run([archcalc, "summary", name], work, env, ok=(2,)))
        (work / "model.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
        messages.append(run([archcalc, "summary", "model.h5"], work, env, ok=(2,)))
        messages.append(run([archcalc, "train", sample], work, env, ok=(2,)))
        for text in messages:
            assert "Traceback" not in text, text
            assert not CHECKOUT_ONLY.search(text), f"a message points at the checkout:\n{text}"
        assert "archcalc[h5]" in messages[-2] or "'archcalc[keras]'" in messages[-2], messages[-2]
        assert "archcalc[keras]" in messages[-1], messages[-1]
    print(f"release check: {wheel.name} installs and runs in a fresh virtual environment")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
