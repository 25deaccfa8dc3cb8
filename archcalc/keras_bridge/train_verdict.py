"""Whether a trained model learned: its held-out test numbers against the task's baseline.

A classifier's accuracy is compared with chance (always the most common class); any other
output's loss with the best constant guess (the training targets' mean) and a perfect
prediction, under the output's own loss (Keras's loss function, given by the caller).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .train_data import Prepared, Target


def judge(keras: Any, prep: Prepared, initial: dict[str, float], final: dict[str, float]) -> Verdict:
    """The verdict on a run: each target's baseline and chance from its arrays, then :func:`verdict`."""
    baselines = [_baseline_loss(keras, t, ytr, yte)
                 for t, ytr, yte in zip(prep.targets, prep.y_train, prep.y_test, strict=True)]
    chance = [_chance(t, ytr, yte) for t, ytr, yte in zip(prep.targets, prep.y_train, prep.y_test, strict=True)]
    return verdict(prep.targets, initial, final, baselines, chance)


def _baseline_loss(keras: Any, target: Target, y_train: Any, y_test: Any) -> tuple[float, float] | None:
    """(the loss of the best constant guess, the training targets' mean; the loss of a perfect
    prediction, which is above 0 for a cross-entropy on soft targets), under the target's loss."""
    import numpy as np

    from archcalc.compile_spec import loss_name, read_object

    from .build import compile_args

    if target.kind == "classify":
        return None
    try:
        fn = keras.losses.get(compile_args({"loss": target.loss})["loss"])
    except (ValueError, TypeError):
        return None
    mean = np.broadcast_to(y_train.mean(axis=0, dtype="float64"), y_test.shape).astype("float32")
    name = loss_name(target.loss) or ""
    written = read_object(target.loss, "losses")
    logits = written is not None and written.get("from_logits") is True
    if "crossentropy" in name and target.kind != "classify":
        mean = np.clip(mean, 1e-6, 1 - 1e-6)
        if logits:
            mean = np.log(mean / (1 - mean))
    if target.kind == "segment" and name == "sparse_categorical_crossentropy":
        return None

    def loss(pred: Any) -> float:
        return float(np.mean(keras.ops.convert_to_numpy(fn(y_test.astype("float32"), pred))))

    perfect = y_test.astype("float32")
    if "crossentropy" in name:
        perfect = np.clip(perfect, 1e-6, 1 - 1e-6)
        if logits:
            perfect = np.log(perfect / (1 - perfect))
    return loss(mean), loss(perfect)


@dataclass
class Verdict:
    """Whether the model learned: the test numbers against the task's baseline."""

    learns: bool
    text: str
    checks: list[dict[str, Any]] = field(default_factory=list)


def _key(base: str, name: str, multi: bool) -> str:
    return f"{name}_{base}" if multi else base


def verdict(targets: list[Target], initial: dict[str, float], final: dict[str, float],
            baselines: list[tuple[float, float] | None], chance: list[float | None]) -> Verdict:
    """"learns" when every output beats its baseline on the held-out test: a classifier's
    accuracy at least min(0.2, (1 - chance) / 2) above chance (the most common class's share);
    any other output's loss at most halfway from the best constant guess (the training
    targets' mean) to a perfect prediction (0 for mse; a cross-entropy's floor on soft targets)."""
    multi = len(targets) > 1
    parts = [f"loss {initial.get('loss', float('nan')):.4g} -> {final.get('loss', float('nan')):.4g}"]
    ok = True
    checks: list[dict[str, Any]] = []
    for t, base, ch in zip(targets, baselines, chance, strict=True):
        label = f"{t.name} " if multi else ""
        acc = final.get(_key("accuracy", t.name, multi))
        if t.kind == "classify" and acc is not None and ch is not None:
            need = ch + min(0.2, (1 - ch) / 2)
            passed = acc >= need
            parts.append(f"{label}accuracy {acc:.2f} vs {ch:.2f} by chance (needs {need:.2f})")
            checks.append({"output": t.name, "metric": "accuracy", "value": acc, "baseline": ch,
                           "needs": need, "passed": passed})
        else:
            value = final.get(_key("loss", t.name, multi) if multi else "loss")
            if t.kind == "vae" or value is None:
                value = final.get("loss")
            if base is None or value is None:
                continue
            guess, floor = base
            need = floor + (guess - floor) / 2
            passed = value <= need
            what = "reconstruction + KL " if t.kind == "vae" else ""
            floor_text = f", {floor:.4g} for a perfect one" if floor > 1e-9 else ""
            parts.append(f"{label}{what}loss {value:.4g} vs {guess:.4g} predicting the mean{floor_text} "
                         f"(needs {need:.4g})")
            checks.append({"output": t.name, "metric": "loss", "value": value, "baseline": guess,
                           "perfect": floor, "needs": need, "passed": passed})
        ok = ok and passed
    head = "learns" if ok and checks else "does not beat its baseline"
    return Verdict(ok and bool(checks), f"{head}: " + "; ".join(parts), checks)


def _chance(target: Target, y_train: Any, y_test: Any) -> float | None:
    """The accuracy of always guessing the most common class (1/K for balanced classes)."""
    import numpy as np

    if target.kind != "classify":
        return None

    def labels(y: Any) -> Any:
        return y.argmax(-1) if y.ndim == 2 and y.shape[-1] > 1 else y.reshape(-1).round()

    every = np.concatenate([labels(y_train), labels(y_test)])
    counts = np.unique(every, return_counts=True)[1]
    return float(counts.max() / counts.sum())
