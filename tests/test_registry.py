"""The one layer lookup (archcalc.layers.registry): every source finds layers, custom layers
and Keras-config-only classes the same way, and reports an unknown name the same way."""

from __future__ import annotations

import threading

import pytest

from archcalc import load
from archcalc.errors import SpecError
from archcalc.layers import registry
from archcalc.layers.core import Dense
from archcalc.layers.nested import LayerScale
from archcalc.readers import custom_layers

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
