"""What archcalc prints is printed safely: text from the input (a layer named ``'d\\ud800'``, a
name holding ``\\x1b[2J`` or a right-to-left override) never crashes the output stream nor
drives the terminal.

:func:`safe_streams` puts :class:`SafeText` over ``sys.stdout`` and ``sys.stderr`` for one
command: a character the stream's encoding cannot hold (a lone surrogate, anything past
Latin-1 in a Latin-1 terminal) is written as a Python escape (``\\ud800``, ``\\u2501``; an ASCII
locale gets UTF-8, as click gives it); control characters
other than newline, tab and carriage return, escape sequences other than colours (SGR:
``ESC [ ... m``, which archcalc and rich write for bold text), and the bidirectional
overrides are written escaped too (``\\x07``, ``\\x1b``, ``\\u202e``). Every command and
format goes through it (the CLI installs it once), so no renderer needs to know.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

#: what is written escaped: C0 and C1 controls (but \t \n \r), ESC unless it starts a colour
#: (SGR) sequence, the bidirectional embeddings, overrides and isolates, and lone surrogates
UNSAFE = re.compile("\x1b(?!\\[[0-9;]{0,32}m)|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f"
                    "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape(text: str) -> str:
    """``text`` with what :data:`UNSAFE` matches escaped (``\\x07``, ``\\u202e``, ``\\ud800``)."""
    return UNSAFE.sub(_escape, text)


def _is_ascii(encoding: str | None) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name == "ascii"
    except LookupError:
        return True


class SafeText(io.TextIOBase):
    """A text stream that writes :func:`escape`-d text to the stream it wraps and forwards
    everything else (``buffer`` for binary output, ``isatty``, ``fileno``)."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, s: str) -> int:
        if not isinstance(s, str):  # pragma: no cover - TextIO contract
            return self._inner.write(s)
        text = escape(s)
        try:
            self._inner.write(text)  # a TextIOWrapper encodes it all before writing any of it
        except UnicodeEncodeError:
            encoding = getattr(self._inner, "encoding", None) or "ascii"
            binary = getattr(self._inner, "buffer", None)
            if _is_ascii(encoding) and binary is not None:
                # an ASCII locale is most often a misconfigured one: UTF-8, as click writes it
                self._inner.flush()
                binary.write(text.encode("utf-8"))
                binary.flush()
            else:
                self._inner.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
        return len(s)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        # every character can be written here (what the stream below cannot hold is escaped),
        # so click does not go around it to the binary buffer on an ASCII terminal
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "backslashreplace"

    def __getattr__(self, name: str) -> Any:  # buffer, name, mode, ...
        return getattr(self._inner, name)


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """Standard output and error as :class:`SafeText` for the block (once: nested calls and
    streams that are already safe are left as they are)."""
    old = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeText) and sys.stdout is not None:
        sys.stdout = SafeText(sys.stdout)
    if not isinstance(sys.stderr, SafeText) and sys.stderr is not None:
        sys.stderr = SafeText(sys.stderr)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()  # type: ignore[union-attr]
        sys.stdout, sys.stderr = old
