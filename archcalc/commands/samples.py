"""archcalc samples: the bundled sample models (the course notes' models and a few real
architectures), and where they are installed.

Where they are: :mod:`archcalc.bundled` (shared with the web page).
"""

from __future__ import annotations

from pathlib import Path

import click

from archcalc.bundled import SUFFIXES, sample_files, samples_dir
from archcalc.errors import UsageError, did_you_mean


def _describe(path: Path) -> str:
    """The spec's name: line, or the first comment or docstring line of a program."""
    try:
        text = path.read_text(encoding="utf-8")[:4000]
    except OSError:
        return ""
    for line in text.splitlines():
        s = line.strip()
        if path.suffix == ".yaml" and s.startswith("name:"):
            return s[5:].strip().strip("\"'")
        if path.suffix == ".py" and s.startswith(("#", '"""')):
            return s.strip("#\"' ").strip()
    return ""


@click.command()
@click.argument("name", required=False)
def samples(name: str | None) -> None:
    """List the bundled sample models, or print the path of one (NAME, with or without its
    suffix: `cnn`, `cnn.py`), e.g. `archcalc summary "$(archcalc samples cnn)"`."""
    folder = samples_dir()
    if folder is None:
        raise UsageError("the samples are not installed with this archcalc",
                         hint="install archcalc from its wheel or a checkout of its repository")
    files = sample_files(folder)
    if name is None:
        names = [str(p.relative_to(folder)) for p in files]
        width = max(len(n) for n in names)
        for n, p in zip(names, files, strict=True):
            click.echo(f"{n:<{width}}  {_describe(p)}".rstrip())
        click.echo(f"({len(files)} samples in {folder})")
        return
    match = [p for p in files if name in (p.name, p.stem, str(p.relative_to(folder)))]
    match.sort(key=lambda p: SUFFIXES.index(p.suffix))  # cnn: the YAML spec first
    if not match:
        raise UsageError(f"no sample named '{name}'",
                         hint=did_you_mean(name, [p.stem for p in files]) or "run `archcalc samples` for the list")
    path = match[0]
    try:  # relative when it is below the working directory (a checkout): shorter, and the same
        path = path.relative_to(Path.cwd())  # on every machine
    except ValueError:
        pass
    click.echo(str(path))
