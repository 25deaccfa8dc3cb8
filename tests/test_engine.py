"""Engine behaviour that is not a plain Keras parity number: invariants, receptive
field bookkeeping, unknown sizes, shared layers, refusals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from archcalc.engine import analyze, topological_order
from archcalc.errors import ShapeError, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers.registry import lookup
from archcalc.readers.yaml_spec import load
from tests.conftest import SAMPLES


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_row_sums_equal_totals(path):
    a = analyze(load(path))
    assert sum(r.trainable_params for r in a.rows) == a.trainable_params
    assert sum(r.non_trainable_params for r in a.rows) == a.non_trainable_params
    assert a.total_params == a.trainable_params + a.non_trainable_params
    for r in a.rows:
        assert r.params == sum(w.size for w in r.weights) or r.node.shared_with


def test_unknown_sizes_propagate(analyze_text):
    a = analyze_text("input: [null, null, 3]\nlayers:\n  - Conv2D(4, 3, strides=2)\n  - GlobalMaxPooling2D()\n")
    assert a.rows[1].output_shape == (None, None, None, 4)
    assert a.rows[2].output_shape == (None, 4)
    assert a.total_params == 3 * 3 * 3 * 4 + 4


def test_receptive_field_recursion(analyze_text):
    # conv3 (r=3, j=1), pool2 (r=4, j=2), conv3 dilated 2 (k_eff=5): r = 4 + 4*2 = 12, j = 2
    a = analyze_text(
        "input: [32, 32, 1]\nlayers:\n  - Conv2D(1, 3)\n  - MaxPooling2D(2)\n"
        "  - Conv2D(1, 3, dilation_rate=2)\n"
    )
    r = [row.rf.axes[0] for row in a.rows]
    assert [x.size for x in r] == [1, 3, 4, 12]
    assert [x.jump for x in r] == [1, 1, 2, 2]
    # start: centre of the first unit; valid convs move it by (k_eff - 1)/2 * jump
    assert r[1].start == Fraction(3, 2)
    assert r[2].start == Fraction(2)
    assert r[3].start == Fraction(2) + 2 * 2


def test_same_padding_shifts_start(analyze_text):
    a = analyze_text("input: [8, 1]\nlayers:\n  - Conv1D(1, 3, padding='same')\n  - Conv1D(1, 2, strides=2, padding='same')\n")
    first, second = a.rows[1].rf.axes[0], a.rows[2].rf.axes[0]
    assert first.start == Fraction(1, 2)  # padding 1 before: centred on the first pixel
    # I=8, K=2, S=2 'same': total padding max((4-1)*2 + 2 - 8, 0) = 0
    assert second.start == Fraction(1)
    assert second.size == 4 and second.jump == 2


def test_merge_records_misalignment(analyze_text):
    a = analyze_text(
        "input: [16, 16, 3]\nlayers:\n  - a: Conv2D(4, 3, padding='same')\n"
        "  - b: Conv2D(4, 2, strides=2)(input)\n  - c: UpSampling2D(2)\n  - Add()([a, c])\n"
    )
    assert a.rows[-1].rf.aligned is False
    b = analyze_text(
        "input: [16, 16, 3]\nlayers:\n  - a: Conv2D(4, 3, padding='same')\n"
        "  - b: Conv2D(4, 5, padding='same')(input)\n  - Add()([a, b])\n"
    )
    assert b.rows[-1].rf.aligned is True
    assert b.rows[-1].rf.sizes() == [5, 5]


def test_shared_layer_counts_once(analyze_text):
    a = analyze_text(
        "input: {a: [8], b: [8]}\nlayers:\n  - enc: Dense(4)(a)\n  - enc_b: enc(b)\n"
        "  - Concatenate()([enc, enc_b])\n"
    )
    assert a.total_params == 8 * 4 + 4
    assert a.by_name["enc_b"].params == 0
    assert a.by_name["enc_b"].node.shared_with == "enc"


def test_shared_layer_on_other_shape_is_refused(analyze_text):
    with pytest.raises(ShapeError, match="shared layer"):
        analyze_text("input: {a: [8], b: [9]}\nlayers:\n  - enc: Dense(4)(a)\n  - enc(b)\n")


def test_trainable_false_moves_weights(analyze_text):
    a = analyze_text("input: [5]\nlayers:\n  - Dense(3, trainable=False)\n")
    assert (a.trainable_params, a.non_trainable_params) == (0, 18)


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("input: [4, 4, 3]\nlayers:\n  - Conv2D(8, 5)\n", "output size would be"),
        ("input: [8, 8, 3]\nlayers:\n  - a: Conv2D(4, 3)\n  - Add()([a, input])\n", "incompatible shapes"),
        ("input: [8, 8, 3]\nlayers:\n  - a: Conv2D(4, 3)\n  - Concatenate()([a, input])\n", "must match"),
        ("input: [4, 4]\nlayers:\n  - Reshape((3, 5))\n", "cannot reshape"),
        ("input: [64]\nlayers:\n  - Conv2D(8, 3)\n", "needs a 4-D input"),
        ("input: [3, 3, 1]\nlayers:\n  - MaxPooling2D(4)\n", "pool_size"),
        ("input: [10]\nlayers:\n  - LSTM(4)\n", "needs a 3-D input"),
    ],
)
def test_keras_refusals_name_layer_line_and_shapes(analyze_text, body, fragment):
    with pytest.raises(ShapeError) as e:
        analyze_text(body, "m.yaml")
    err = e.value
    assert fragment in err.message
    assert err.loc is not None and err.loc.line == body.count("\n") and err.layer
    assert "(None," in err.message  # the offending shape is shown


def test_cycle_is_refused():
    dense = lookup("Dense").bind([4], {})
    g = Graph()
    g.add(Node("x", None, shape=(None, 4)))
    g.add(Node("a", dense, ["b"]))
    g.add(Node("b", lookup("Dense").bind([4], {}), ["a"]))
    g.outputs = ["b"]
    with pytest.raises(SpecError, match="cycle"):
        topological_order(g)


def test_dropout_rate_one_is_refused(analyze_text):
    # Keras accepts rate=1.0 (it drops everything); archcalc refuses it deliberately (issue 2)
    with pytest.raises(SpecError, match="rate"):
        analyze_text("input: [4]\nlayers:\n  - Dropout(1.0)\n")


def test_every_layer_type_has_an_example_and_a_family():
    from archcalc.layers.registry import canonical_types

    for cls in canonical_types():
        assert cls.example is not None, cls.keras_name
        assert cls.family, cls.keras_name
