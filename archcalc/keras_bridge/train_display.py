"""What a training run shows a person: the progress of fit() (one plain line per epoch, or a
rich progress bar over all steps) and, after it, the learning curves as a PNG (matplotlib,
imported when asked).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from archcalc.errors import UsageError


def check_plot(path: str, force: bool) -> None:
    """Refuse a --plot file that is not a .png, exists without --force, or has no matplotlib."""
    from archcalc.fileio import check_target

    if Path(path).suffix.lower() != ".png":
        raise UsageError(f"the learning-curve file must end in .png, got '{path}'", hint="e.g. --plot curves.png")
    check_target(path, force=force)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError("--plot needs matplotlib, which is not installed",
                         hint="pip install 'archcalc[keras]'") from None


def plot_png(history: dict[str, list[float]], title: str) -> bytes:
    """The learning curves (one panel per metric, training and validation) as PNG bytes."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    bases = [k for k in history if not k.startswith("val_")]
    fig = Figure(figsize=(4.5 * len(bases), 3.4), dpi=100)
    for i, key in enumerate(bases, start=1):
        ax = fig.add_subplot(1, len(bases), i)
        epochs = range(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], marker="o", label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], marker="o", label="validation")
        ax.set_title(key)
        ax.set_xlabel("epoch")
        ax.legend()
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# --- progress during fit() --------------------------------------------------------------------------------

def _logs_text(logs: Any) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items())


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class PlainProgress:
    """One plain line per epoch (NO_COLOR, or no terminal): epoch, loss, metrics, time left."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def callback(self, keras: Any, epochs: int, steps: int) -> Any:
        import time

        write = self.write

        class _Callback(keras.callbacks.Callback):
            def on_train_begin(self, logs: Any = None) -> None:
                self.start = time.monotonic()
                self.first: int | None = None  # a run resumed from a backup starts later

            def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
                if self.first is None:
                    self.first = epoch

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                spent = time.monotonic() - self.start
                left = spent / (epoch + 1 - (self.first or 0)) * (epochs - epoch - 1)
                write(f"epoch {epoch + 1}/{epochs}  {_logs_text(logs)}  "
                      f"({_duration(spent)} so far, about {_duration(left)} left)")

        return _Callback()


class RichProgress:
    """A rich progress bar over all training steps (epoch, loss, metrics, time left), with
    one line per finished epoch."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def callback(self, keras: Any, epochs: int, steps: int) -> Any:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = self.console

        class _Callback(keras.callbacks.Callback):
            def on_train_begin(self, logs: Any = None) -> None:
                self.bar = Progress(TextColumn("epoch {task.fields[epoch]}/" + str(epochs)),
                                    BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[logs]}"),
                                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                    console=console, transient=True)
                self.bar.start()
                self.task = self.bar.add_task("train", total=epochs * max(1, steps), epoch=1, logs="")
                self.epoch = 0

            def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
                self.epoch = epoch
                self.bar.update(self.task, epoch=epoch + 1, completed=epoch * max(1, steps))

            def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
                text = f"loss {logs['loss']:.4f}" if logs and "loss" in logs else ""
                self.bar.update(self.task, completed=self.epoch * max(1, steps) + batch + 1, logs=text)

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                self.bar.console.print(f"epoch {epoch + 1:>3}/{epochs}  {_logs_text(logs)}", highlight=False)
                self.bar.update(self.task, completed=(epoch + 1) * max(1, steps))

            def on_train_end(self, logs: Any = None) -> None:
                self.bar.stop()

        return _Callback()
