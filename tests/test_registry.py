"""The one layer lookup (archcalc.layers.registry): every source finds layers, custom layers
and Keras-config-only classes the same way, and reports an unknown name the same way."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from archcalc import load
from archcalc.errors import SpecError
from archcalc.layers import registry
from archcalc.layers.base import LayerType
from archcalc.layers.core import Dense
from archcalc.layers.nested import LayerScale
from archcalc.readers import custom_layers
from tests.conftest import ROOT

LAYERS_FILE = "layers:\n  Scale:\n    args: [units]\n    output: input\n    weights: {gamma: [units]}\n"

PY = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.{call}])\n"


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_lookup_finds_names_and_aliases():
    assert registry.lookup("Dense") is Dense
    assert registry.lookup("Convolution2D") is registry.lookup("Conv2D")


def test_config_only_classes_are_found_by_the_config_readers_only():
    assert registry.get("LayerScale") is None  # keras.layers has no LayerScale
    assert registry.get("LayerScale", saved=True) is LayerScale
    assert "LayerScale" not in registry.REGISTRY


def test_refused_classes_come_back_as_types_that_refuse():
    cls = registry.lookup("TorchModuleWrapper")
    with pytest.raises(SpecError, match="PyTorch"):
        cls.bind([], {})


def test_custom_scope_is_seen_inside_and_gone_after(tmp_path):
    _write(tmp_path, "archcalc-layers.yaml", LAYERS_FILE)
    model = _write(tmp_path, "m.yaml", "input: [8]\nlayers:\n  - Scale(8)\n")
    with custom_layers.active(model):
        assert registry.get("Scale") is not None
        assert "Scale" not in registry.REGISTRY  # an overlay, not a patch of the registry
        seen_elsewhere = []
        t = threading.Thread(target=lambda: seen_elsewhere.append(registry.get("Scale")))
        t.start()
        t.join()
        assert seen_elsewhere == [None]  # another thread's read does not see this one's layers
    assert registry.get("Scale") is None


def test_custom_scope_is_restored_after_an_error(tmp_path):
    _write(tmp_path, "archcalc-layers.yaml", LAYERS_FILE)
    model = _write(tmp_path, "m.yaml", "input: [8]\nlayers:\n  - Scale(8)\n  - Dens(2)\n")
    with pytest.raises(SpecError):
        load(model)
    assert registry.get("Scale") is None


@pytest.mark.parametrize("suffix", ["yaml", "py"])
def test_custom_layer_is_read_by_every_source(tmp_path, suffix):
    _write(tmp_path, "archcalc-layers.yaml", LAYERS_FILE)
    text = "input: [8]\nlayers:\n  - Scale(8)\n" if suffix == "yaml" else PY.format(call="Scale(8)")
    from archcalc import analyze

    result = analyze(load(_write(tmp_path, f"m.{suffix}", text)))
    assert [r.trainable_params for r in result.rows if r.node.layer is not None] == [8]


_SOURCES = {"yaml": "input: [8]\nlayers:\n  - {call}\n", "py": PY}


@pytest.mark.parametrize("suffix, call, hint", [
    ("yaml", "Dens(3)", "did you mean Dense?"),
    ("py", "Dens(3)", "did you mean Dense?"),
    ("yaml", "Higway(3)", registry.CUSTOM_HINT),
    ("py", "Higway(3)", registry.CUSTOM_HINT),
    # the Python reader translates Keras 1 code first, and says so itself (test_legacy.py)
    ("yaml", "MaxoutDense(3)", "Keras 1's MaxoutDense"),
])
def test_one_unknown_layer_message_for_every_source(tmp_path, suffix, call, hint):
    with pytest.raises(SpecError) as e:
        load(_write(tmp_path, f"m.{suffix}", _SOURCES[suffix].format(call=call)))
    name = call.split("(")[0]
    assert e.value.message == f"unknown layer type '{name}'"
    assert hint in (e.value.hint or "")
    assert e.value.loc is not None and e.value.loc.line == 3


def test_unknown_hint_knows_keras_1_names_and_blocks():
    assert registry.unknown_hint("CuDNNGRU") == "'CuDNNGRU' is a Keras 1/2 layer: write GRU(...) in Keras 3"
    assert registry.unknown_hint("stemm", also=["stem"]) == "did you mean stem?"
    assert registry.unknown_hint("LayerScal", saved=True) == "did you mean LayerScale?"


# --- what a layer is: attributes on its class, never its class name ------------------------

def test_consumers_do_not_compare_layer_class_names():
    """lint and verify ask a layer what it is (applies_activation, is_dropout, upsamples...):
    a new layer class with the right attributes is treated like its kin."""
    import re
    from pathlib import Path

    import archcalc

    root = Path(archcalc.__file__).parent
    files = [*sorted((root / "lint").rglob("*.py")),
             *(root / "keras_bridge" / f for f in ("verify.py", "train.py", "train_plan.py", "train_data.py",
                                                  "train_verdict.py", "tasks.py", "datasets.py"))]
    pattern = re.compile(r"\.type\s*(==|!=|not in|in)\s|\bin\s+[\w.]*\.type\b|keras_name\s*(==|!=|in)\s")
    found = [f"{f.relative_to(root)}:{i}: {line.strip()}" for f in files
             for i, line in enumerate(f.read_text().splitlines(), 1)
             if pattern.search(line) and "tokenize." not in line  # lint/noqa.py reads token types
             and '"Sampling"' not in line]  # the notes' VAE: a class the user declares, not a Keras layer
    assert found == []


@pytest.mark.parametrize("name, attr, value", [
    ("Softmax", "applies_activation", "softmax"),
    ("ReLU", "applies_activation", "relu"),
    ("Dense", "applies_activation", None),  # configured by its activation argument instead
    ("Embedding", "reads_ids", True),
    ("StringLookup", "reads_ids", True),
    ("Dense", "reads_ids", False),
    ("Rescaling", "rescales_inputs", True),
    ("SpatialDropout2D", "zeroes_inputs", True),
    ("GaussianDropout", "zeroes_inputs", False),  # multiplies by noise: nothing becomes 0
    ("GaussianDropout", "is_dropout", True),
    ("GaussianNoise", "is_dropout", False),
    ("GaussianNoise", "is_regularizer", True),
    ("Conv2DTranspose", "upsamples", True),
    ("UpSampling1D", "upsamples", True),
    ("Flatten", "flattens", True),
    ("Reshape", "reshapes", True),
    ("TimeDistributed", "per_time_step", True),
    ("Bidirectional", "per_time_step", False),
    ("Bidirectional", "wraps_layer", "layer"),
    ("Dot", "is_gate", True),
    ("Add", "is_gate", False),
])
def test_layer_classes_say_what_they_are(name, attr, value):
    assert getattr(registry.lookup(name), attr) == value


def test_ops_that_share_a_layers_meaning_say_so():
    ops = registry.OPS
    assert ops["multiply"].is_gate and ops["identity"].passes_values_through
    assert ops["reshape"].reshapes
    assert not ops["transpose"].upsamples  # permuting axes makes no grid finer


def test_returns_sequences_looks_inside_bidirectional(analyze_text):
    from archcalc.layers.recurrent import Bidirectional

    inner = registry.lookup("LSTM").bind([4], {"return_sequences": True})
    assert Bidirectional.bind([inner], {}).returns_sequences()
    assert not Bidirectional.bind([registry.lookup("LSTM").bind([4], {})], {}).returns_sequences()


# --- a cost rule is found through the class -------------------------------------------------

def test_a_layer_class_can_define_its_own_cost():
    from archcalc.cost import cost_rule, ew, rule_for

    class Doubling(LayerType):
        def output_shape(self, inputs):
            return inputs[0]

        def cost(self, inputs, output):
            return ew(8)

    assert rule_for(Doubling) is Doubling.cost
    assert rule_for(LayerType) is None
    with pytest.raises(ValueError, match="already has a cost rule"):
        cost_rule(Doubling)(lambda *a: ew(1))


def _index_text() -> str:
    """archcalc/layers/index.py as the classes say it should read (every family imported)."""
    import importlib
    import json
    import pkgutil

    import archcalc.layers
    from archcalc.layers.ops import Op  # op types live in ops.OPS, not in the layer registry

    for m in pkgutil.iter_modules(archcalc.layers.__path__):
        importlib.import_module(f"archcalc.layers.{m.name}")

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    layers: dict[str, str] = {}
    saved: dict[str, str] = {}
    for cls in subclasses(LayerType):  # archcalc's own classes (other tests' subclasses aside)
        if cls.__module__.startswith("archcalc.layers.") and cls.keras_name and not issubclass(cls, Op) \
                and not getattr(cls, "refused", False):
            into = layers if cls.in_keras_layers else saved
            into.update({n: cls.__module__.rpartition(".")[2] for n in (cls.keras_name, *cls.aliases)})

    def table(name: str, where: dict[str, str], doc: str) -> str:
        rows = [f"    {json.dumps(n)}: {json.dumps(where[n])}," for n in sorted(where)]
        return "\n".join([f"#: {doc}", f"{name}: dict[str, str] = {{", *rows, "}"])

    head = (ROOT / "archcalc/layers/index.py").read_text(encoding="utf-8").split("#: ", 1)[0]
    return (head + table("LAYERS", layers, "keras.layers classes, by name and alias") + "\n\n"
            + table("SAVED_ONLY", saved,
                    "classes Keras writes in saved configs but keras.layers does not export") + "\n")


def test_the_index_says_where_every_class_lives(golden):
    """The registry imports a family when one of its names is used; its index must name every
    class and alias archcalc defines, in the module that defines it."""
    golden.check(ROOT / "archcalc/layers/index.py", _index_text())


def test_a_lookup_imports_only_the_family_it_needs():
    import json
    import subprocess
    import sys

    code = ("import json, sys\nfrom archcalc.layers import registry\nregistry.lookup('Dense')\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('archcalc.layers.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    loaded = json.loads(out)
    assert "archcalc.layers.core" in loaded
    assert not {"archcalc.layers.conv", "archcalc.layers.ops", "archcalc.layers.recurrent",
                "archcalc.layers.attention", "archcalc.layers.eras"} & set(loaded), loaded
