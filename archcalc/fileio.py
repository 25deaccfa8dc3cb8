"""The one atomic file writer every command that writes a file uses (emit, convert, diagram, train).

The data goes to a temporary file beside the target, which is then renamed over it, so a
reader never sees a half-written file and a failure leaves the old file as it was. The new
file gets the mode a plain ``open()`` would give it (0666 less the umask: 0644 under umask
022), not the 0600 of a temporary file. An existing target is replaced only with
``force=True``, and never when it is not a regular file: renaming over ``/dev/full``, a
FIFO or a directory would swap the device for a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from archcalc.errors import UsageError


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def check_target(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """The real path a write to ``path`` goes to; UsageError when the write must not happen.

    A symbolic link is followed (the file it names is replaced, the link stays).
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UsageError(f"cannot write '{given}': {e.strerror}") from None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise UsageError(f"cannot write '{given}': it is {kind}",
                             hint="archcalc writes only regular files; choose another output path")
        if not force:
            raise UsageError(f"'{given}' already exists", hint="pass --force to overwrite it, or choose another output")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write '{given}': the directory '{directory}' does not exist",
                         hint="create it first")
    return target


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, force: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically, with the umask's mode.

    Raises UsageError (exit 2) when ``path`` exists and ``force`` is false, when it is not a
    regular file, or when its directory is missing or not writable.
    """
    target = check_target(path, force=force)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise UsageError(f"cannot write '{path}': {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            os.fchmod(f.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600
        os.replace(tmp, target)
    except BaseException as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise UsageError(f"cannot write '{path}': {e.strerror or e}") from None
        raise
