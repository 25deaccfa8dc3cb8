"""Importing Keras: the one place the bridge loads TensorFlow, quietly.

Every module of the bridge that needs Keras calls :func:`import_keras` inside the function
that needs it, so importing the bridge costs nothing until a model is built.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from archcalc.errors import UsageError


@contextlib.contextmanager
def _quiet_fd2() -> Iterator[None]:
    """Send file descriptor 2 to a temporary file while TensorFlow starts.

    TensorFlow's C++ code prints start-up lines (oneDNN, CUDA stubs, absl) straight to fd 2,
    before TF_CPP_MIN_LOG_LEVEL is read by some of them; they are kept and replayed only
    when the import fails.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all: nothing to silence
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            sink.seek(0)
            os.write(2, sink.read())
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def import_keras() -> Any:
    """Import Keras quietly: TensorFlow's C++ log lines are silenced unless the user set
    TF_CPP_MIN_LOG_LEVEL (to see them: TF_CPP_MIN_LOG_LEVEL=0)."""
    if "keras" in sys.modules:
        import keras

        return keras
    asked = "TF_CPP_MIN_LOG_LEVEL" in os.environ
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        with contextlib.nullcontext() if asked else _quiet_fd2():
            import keras
            import tensorflow as tf

            tf.config.list_physical_devices()  # device start-up (cuInit) logs here, too
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise UsageError(
            "this command needs TensorFlow/Keras, which is not installed",
            hint="pip install 'archcalc[keras]'",
        ) from e
    return keras
