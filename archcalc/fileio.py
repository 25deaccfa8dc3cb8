"""The one atomic file writer every command that writes a file uses (emit, convert, diagram,
train, diff's temporary copies).

The data goes to a temporary file in the destination's folder, which is then renamed over the
path itself (``os.replace``), so a reader never sees a half-written file and a failure leaves
the old file as it was. The rename replaces the *name* given, never what it points to: a
symbolic link at the destination (dangling or not) is refused, so a link planted in a shared
folder cannot redirect a write elsewhere (``O_NOFOLLOW`` semantics); the folders on the way
are followed as usual. A name with other hard links gets a new file: the other names keep the
old content. Only regular files are written: a directory, a device (``/dev/null``), a FIFO or
a socket at the destination is refused (renaming over it would swap it for a file). The new
file gets the mode a plain ``open()`` would give it (0666 less the umask: 0644 under umask
022), not the 0600 of a temporary file. An existing file is replaced only with
``force=True``; without it, the file is put in place with ``os.link``, which fails if the
name appeared since the check.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from archcalc.errors import UsageError

#: what `-o` takes to mean standard output
STDOUT = "-"


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def _refuse_existing(given: Path, st: os.stat_result, force: bool) -> None:
    """UsageError for what is at ``given`` now (``st`` from ``lstat``), if it must not be replaced."""
    if stat.S_ISLNK(st.st_mode):
        raise UsageError(f"cannot write '{given}': it is a symbolic link",
                         hint="archcalc never writes through a link (it could point anywhere); "
                         "give the path of a regular file, or remove the link first")
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise UsageError(f"cannot write '{given}': it is {kind}",
                         hint="archcalc writes only regular files; choose another output path, "
                         "or leave out -o to write to standard output")
    if not force:
        raise UsageError(f"'{given}' already exists", hint="pass --force to overwrite it, or choose another output")


def check_target(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """The path a write to ``path`` goes to (``path`` itself); UsageError when it must not happen:
    a symbolic link, anything but a regular file, an existing file without ``force``, a
    missing folder."""
    given = Path(path)
    try:
        st = os.lstat(given)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise UsageError(f"cannot write '{given}': a folder on its path is a file") from None
    except OSError as e:
        raise UsageError(f"cannot write '{given}': {e.strerror}") from None
    if st is not None:
        _refuse_existing(given, st, force)
    directory = given.parent
    if not directory.is_dir():
        raise UsageError(f"cannot write '{given}': the directory '{directory}' does not exist",
                         hint="create it first")
    return given


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, force: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically, with the umask's mode.

    Raises UsageError (exit 2) when ``path`` is a symbolic link or not a regular file, when it
    exists and ``force`` is false, or when its directory is missing or not writable.
    """
    # a lone surrogate (from a name in the input) cannot be UTF-8: written escaped, not a crash
    raw = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
    target = check_target(path, force=force)
    with _temporary(target) as (fd, tmp):
        with os.fdopen(fd, "wb", closefd=False) as f:  # the descriptor mkstemp opened: no name lookup
            f.write(raw)
        _install(fd, tmp, target, force)


def write_with(path: str | os.PathLike[str], produce: Callable[[Path], None], *, force: bool = False) -> None:
    """Let ``produce`` write to a temporary path (an empty file in ``path``'s folder, with
    ``path``'s suffix), then put it in place as :func:`write_atomic` does.

    For writers that insist on a path of their own (``model.save``).
    """
    target = check_target(path, force=force)
    with _temporary(target) as (fd, tmp):
        produce(tmp)
        if not stat.S_ISREG(os.lstat(tmp).st_mode):
            raise UsageError(f"cannot write '{target}': the temporary file was replaced")
        _install(None, tmp, target, force)


@contextlib.contextmanager
def _temporary(target: Path) -> Iterator[tuple[int, Path]]:
    """A fresh, empty temporary file beside ``target`` (same name's suffix, so that writers that
    choose a format by the suffix choose the right one); removed if not put in place."""
    directory = target.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=directory)
    except OSError as e:
        raise UsageError(f"cannot write '{target}': {e.strerror}",
                         hint="check that the folder exists and that you may write in it") from None
    tmp = Path(name)
    try:
        yield fd, tmp
    except OSError as e:
        raise UsageError(f"cannot write '{target}': {e.strerror or e}") from None
    finally:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _install(fd: int | None, tmp: Path, target: Path, force: bool) -> None:
    """Give ``tmp`` (open as ``fd`` when known) the umask's mode and put it at ``target``: the
    name itself, never what a link there points to."""
    mode = 0o666 & ~_umask()  # mkstemp makes 0600
    if fd is not None:
        os.fchmod(fd, mode)
        os.fsync(fd)
    else:
        os.chmod(tmp, mode)  # checked a regular file by the caller
    if not force:
        try:
            os.link(tmp, target, follow_symlinks=False)  # fails if the name appeared since the check
            return
        except FileExistsError:
            _refuse_existing(target, os.lstat(target), force)
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # a file system without hard links: check again and rename
    with contextlib.suppress(FileNotFoundError):
        _refuse_existing(target, os.lstat(target), force)
    os.replace(tmp, target)
