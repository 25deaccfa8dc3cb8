"""The real-program corpus's tooling (tests/realworld/, tests/bench/realworld.py); one test fits with Keras.

The oracle itself needs the cloned programs and TensorFlow; these check the parts whose
mistakes would silently change the recorded truth or a program's class.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "realworld"), str(ROOT / "tests" / "bench")]

import realworld  # noqa: E402
from oracle import (  # noqa: E402
    LEGACY,
    STANDALONE,
    choose,
    drop_sequential_internals,
    loop_end,
    notebook_source,
    read_programs,
    spec_batch,
)


def test_notebook_source_drops_magics_and_shell_lines():
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["# title"]},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "!pip install x\n", "a = 1\n",
                                         "if a:\n", "    !ls\n"]},
        {"cell_type": "code", "source": ["%%bash\n", "echo hi\n"]},
        {"cell_type": "code", "source": "b = a + 1"},
    ]}
    src = notebook_source(json.dumps(nb))
    assert "pip" not in src and "echo" not in src and "%" not in src
    scope: dict[str, int] = {}
    exec(compile(src, "nb", "exec"), scope)  # noqa: S102  (our own test source)
    assert scope["b"] == 2


def test_a_stopped_training_loop_ends_at_its_last_whole_round():
    # one fit before the loop, then rounds of (discriminator x2, combined); stopped midway
    events = [("fit", 0)] + [("fit", 1), ("fit", 1), ("fit", 2)] * 33 + [("fit", 1)]
    assert loop_end(events)[-1] == ("fit", 2)
    # five critic steps, then the generator: the last whole round ends on the generator
    events = ([("fit", 0)] * 5 + [("fit", 2)]) * 16 + [("fit", 0)] * 4
    assert loop_end(events)[-1] == ("fit", 2)
    # five critic steps of two calls each (a period of 11, as in a WGAN), stopped at 100 calls
    events = [("summary", 0)] + (([("fit", 0)] * 10 + [("fit", 2)]) * 10)[:100]
    assert loop_end(events)[-1] == ("fit", 2)


def test_the_model_trained_last_is_chosen_before_saved_and_built():
    models = [{"built": True}, {"built": True}, {"built": True}]
    assert choose([("fit", 0), ("summary", 1)], models) == (0, "trained last")
    assert choose([("summary", 1)], models) == (1, "saved or summarised last")
    assert choose([], models) == (2, "built last")


def test_a_sequentials_own_functional_models_are_left_out():
    seq = {"name": "sequential", "class": "Sequential", "layers": [["d", "Dense"], ["e", "Dense"]]}
    inner = {"name": "functional_1", "class": "Functional", "layers": [["d", "Dense"]]}
    mine = {"name": "encoder", "class": "Functional", "layers": [["d", "Dense"]]}
    rec = {"models": [seq, inner, mine], "events": [], "chosen": 2, "why": "built last"}
    out = drop_sequential_internals(rec)
    assert [m["name"] for m in out["models"]] == ["sequential", "encoder"]
    assert out["chosen"] == 1


def test_keras2_legacy_shims_apply_only_to_standalone_keras_of_that_era():
    old = "from keras.layers import Convolution2D\nConvolution2D(32, 3, 3, border_mode='same')\n"
    new = "import keras\nkeras.layers.Conv2D(32, 3, 3)\n"
    tfk = "from tensorflow.keras.layers import Conv2D\nConv2D(32, 3, padding='same')\n"
    assert STANDALONE.search(old) and LEGACY.search(old)
    assert not LEGACY.search(new)
    assert not STANDALONE.search(tfk)


def test_sizes_for_a_formula_are_found_from_shapes_and_totals():
    ref = {"total": 2305 + 64 * 13, "trainable": 0, "non_trainable": 0, "outputs": [(None, 6)],
           "layers": [{"name": "in", "type": "Dense", "output": (None, 13)},
                      {"name": "up", "type": "UpSampling1D", "output": (None, 6)}]}
    got = {"total": "64*n_features + 2305", "trainable": 0, "non_trainable": 0,
           "outputs": [(None, "2*X.shape[1]")],
           "layers": [{"name": "in", "type": "Dense", "output": (None, "n_features")},
                      {"name": "up", "type": "UpSampling1D", "output": (None, "2*X.shape[1]")}]}
    assert realworld.bindings(ref, got) == {"n_features": 13, "X.shape[1]": 3}


def test_every_manifest_program_is_listed_with_its_commit():
    listed = {(p["repo"], p["commit"], p["path"]) for p in read_programs()}
    manifest = json.loads((ROOT / "tests" / "realworld" / "manifest.json").read_text())
    assert manifest["programs"]
    for entry in manifest["programs"]:
        assert (entry["repo"], entry["commit"], entry["path"]) in listed
        assert entry["oracle"] in ("ran", "partial", "none")
        if entry["oracle"] != "none":
            chosen = entry["models"][entry["chosen"]]
            assert chosen["total"] == chosen["trainable"] + chosen["non_trainable"]
    excluded = {line.split()[0] for line in (ROOT / "tests" / "realworld" / "programs.txt")
                .read_text().splitlines() if line and not line.startswith("#")}
    from checkout import EXCLUDED

    assert not excluded & EXCLUDED


def test_a_sequential_left_to_fit_is_built_on_the_batch_keras3_gives_it():
    # measured in Keras 3.15: fit/evaluate keep batch_size when it divides the samples, else
    # None; predict builds on its first batch
    class Data:
        def __init__(self, n: int) -> None:
            self.shape = (n, 4)

    assert spec_batch(Data(64), 32, symbolic=True) == 32
    assert spec_batch(Data(60000), 32, symbolic=True) == 32
    assert spec_batch(Data(100), 32, symbolic=True) is None
    assert spec_batch(Data(10), 32, symbolic=True) is None
    assert spec_batch(Data(50), 32, symbolic=False) == 32
    assert spec_batch(Data(10), 32, symbolic=False) == 10


@pytest.mark.keras
@pytest.mark.parametrize(("samples", "batch_size", "validation_split"),
                         [(64, None, None), (100, None, None), (100, 20, 0.2), (90, 20, 0.1), (50, 25, None)])
def test_the_batch_rule_is_the_one_keras_fit_applies(samples, batch_size, validation_split):
    # a Sequential with no input shape fitted for real: the batch axis Keras gives it is the
    # oracle's spec_batch and the reader's fit_batch
    import keras
    import numpy as np

    from archcalc.readers.python.assemble import fit_batch

    keras.backend.clear_session()
    model = keras.Sequential([keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    kwargs = {k: v for k, v in (("batch_size", batch_size), ("validation_split", validation_split)) if v}
    model.fit(np.zeros((samples, 4)), np.zeros((samples, 3)), epochs=1, verbose=0, **kwargs)
    keras_batch = model.outputs[0].shape[0]

    class Data:
        shape = (samples, 4)

    assert spec_batch(Data(), batch_size or 32, symbolic=True, validation_split=validation_split or 0.0) \
        == keras_batch
    assert fit_batch(samples, kwargs) == keras_batch

