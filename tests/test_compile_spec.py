"""compile() settings in every form a front-end keeps them (the shapes the .py reader, the
.json reader and YAML specs produce)."""

from __future__ import annotations

import pytest

from archcalc.compile_spec import KerasObject, read_compile, read_object, split_spec
from archcalc.keras_bridge.codegen import compile_lines
from archcalc.keras_bridge.codegen_layers import literal
from archcalc.lint.compile_info import learning_rate, parse_loss
from archcalc.readers.yaml_spec import load_text


@pytest.mark.parametrize(
    "written, name, options",
    [
        ("adam", "adam", {}),
        ("keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)", "SGD", {"learning_rate": 0.01, "momentum": 0.9}),
        ({"class": "SGD", "learning_rate": 0.1, "momentum": 0.9}, "SGD", {"learning_rate": 0.1, "momentum": 0.9}),
        ({"class_name": "Adam", "config": {"learning_rate": 0.001}}, "Adam", {"learning_rate": 0.001}),
        ({"sgd": {"momentum": 0.9}}, "sgd", {"momentum": 0.9}),
        ({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}},
         "CategoricalCrossentropy", {"from_logits": True}),
        (42, None, {}),
    ],
)
def test_split_spec(written, name, options):
    assert split_spec(written) == (name, options)


# --- the one reader: read_compile / read_object ----------------------------------------------

SGD = KerasObject("optimizers", "SGD", {"learning_rate": 0.01, "momentum": 0.9})


@pytest.mark.parametrize("written", [
    "SGD(0.01, momentum=0.9)",
    "keras.optimizers.SGD(0.01, momentum=0.9)",
    "SGD(0.01, 0.9)",
    {"class": "SGD", "learning_rate": 0.01, "momentum": 0.9},
    {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}},
    {"sgd": {"learning_rate": 0.01, "momentum": 0.9}},
])
def test_every_form_of_an_optimizer_reads_the_same(written):
    opt = read_compile({"optimizer": written}).optimizer
    assert opt is not None
    assert (opt.keras_class, opt.kwargs, opt.args) == ("SGD", SGD.kwargs, ())
    assert opt.source(literal) == "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)"


def test_a_plain_name_stays_a_name_for_keras():
    opt = read_object("adam", "optimizers")
    assert opt is not None and opt.bare and opt.source(literal) == '"adam"'


def test_positional_arguments_beyond_the_known_ones_stay_positional():
    opt = read_object("SGD(0.01, 0.9, False, None, 1.0, None, 0.5)", "optimizers")
    assert opt is not None  # the table names the first six positional parameters (Keras's order)
    assert opt.kwargs == {"learning_rate": 0.01, "momentum": 0.9, "nesterov": False, "weight_decay": None,
                          "clipnorm": 1.0, "clipvalue": None}
    assert opt.args == (0.5,)
    unknown = read_object("MyOptimizer(0.5, beta=2)", "optimizers")
    assert unknown is not None and unknown.args == (0.5,) and unknown.kwargs == {"beta": 2}


def test_yaml_positional_learning_rate_reaches_lint():
    graph = load_text("input: [4]\nlayers:\n  - Dense(1)\ncompile:\n"
                      "  optimizer: \"SGD(0.01, momentum=0.9)\"\n  loss: mse\n", "s.yaml")
    assert learning_rate(graph) == ("SGD", 0.01)


@pytest.mark.parametrize("written, from_logits", [
    ("BinaryCrossentropy(True)", True),  # BinaryCrossentropy(from_logits, ...)
    ("CategoricalFocalCrossentropy(0.25)", False),  # alpha comes first, not from_logits
    ("BinaryFocalCrossentropy(True)", False),  # apply_class_balancing comes first
    ("BinaryFocalCrossentropy(from_logits=True)", True),
])
def test_from_logits_is_read_by_its_keras_position(written, from_logits):
    spec = parse_loss(written)
    assert spec is not None and spec.from_logits is from_logits


def test_losses_and_metrics_per_output_keep_their_structure():
    comp = read_compile({"loss": {"a": "mse", "b": {"class": "Huber", "delta": 2.0}},
                         "metrics": {"a": ["mae"], "b": "acc"}, "loss_weights": [1.0, 0.5]})
    assert isinstance(comp.loss, dict) and comp.loss["b"].kwargs == {"delta": 2.0}
    assert [m.canonical for m in comp.metrics] == ["mae", "accuracy"]
    assert comp.loss_weights == [1.0, 0.5]
    assert comp.source_parts(literal) == [
        'loss={"a": "mse", "b": keras.losses.Huber(delta=2.0)}',
        'metrics={"a": ["mae"], "b": "acc"}',
        "loss_weights=[1.0, 0.5]",
    ]


def test_emit_writes_keras_calls_for_every_optimizer_form():
    for written in ('{sgd: {momentum: 0.9}}', '"keras.optimizers.SGD(0.01, momentum=0.9)"'):
        graph = load_text(f"input: [4]\nlayers:\n  - Dense(1)\ncompile:\n  optimizer: {written}\n", "s.yaml")
        code = "\n".join(compile_lines(graph))
        assert "optimizer=keras.optimizers.SGD(" in code and "momentum=0.9" in code


def test_python_positional_arguments_get_their_keras_names():
    from archcalc.readers.python import load_text as load_py

    graph = load_py("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
                    "model.compile(optimizer=keras.optimizers.Lion(0.001), loss=keras.losses.Huber(2.0),\n"
                    "              metrics=[keras.metrics.AUC(50), keras.metrics.TopKCategoricalAccuracy(3)])\n",
                    "m.py")
    comp = read_compile(graph.compile)
    assert comp.optimizer is not None and comp.optimizer.kwargs == {"learning_rate": 0.001}
    assert comp.loss.kwargs == {"delta": 2.0}  # was learning_rate=2.0
    assert [m.kwargs for m in comp.metrics] == [{"num_thresholds": 50}, {"k": 3}]


def test_a_metric_keeps_the_name_it_was_given():
    """keras.metrics.AUC(name="auc_roc"): the name is the metric's history key; a name that is
    only the class's own (adam, mean_squared_error) is not kept."""
    from archcalc.compile_spec import split_spec

    assert split_spec({"class_name": "AUC", "config": {"name": "auc_roc", "num_thresholds": 50}}) == \
        ("AUC", {"num_thresholds": 50, "name": "auc_roc"})
    assert split_spec({"class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.001}}) == \
        ("Adam", {"learning_rate": 0.001})
