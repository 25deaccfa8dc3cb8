"""The compile() reader against real Keras: its table of positional parameters is Keras's own,
and every written form of the settings builds (through ``emit``'s code and through
``to_keras``) the optimizer, loss and metrics Keras would build from the same Python."""

from __future__ import annotations

import inspect

import pytest

from archcalc.compile_spec import POSITIONAL_NAMES
from archcalc.keras_bridge.build import build
from archcalc.keras_bridge.codegen import generate
from archcalc.readers.yaml_spec import load_text

pytestmark = pytest.mark.keras

#: base and wrapper classes of those modules, which compile() is not given by name
NOT_LISTED = {"Optimizer", "LossScaleOptimizer", "MultiOptimizer", "OptimizerMap", "Loss", "Metric",
              "MeanMetricWrapper", "Mean", "Sum", "Regularizer"}


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


@pytest.mark.parametrize("module", sorted(POSITIONAL_NAMES))
def test_positional_names_are_the_keras_signatures(keras, module):
    mod = getattr(keras, module)
    classes = {n for n in dir(mod) if not n.startswith("_") and inspect.isclass(getattr(mod, n))}
    assert set(POSITIONAL_NAMES[module]) == classes - NOT_LISTED
    for cls, names in POSITIONAL_NAMES[module].items():
        params = [p.name for p in list(inspect.signature(getattr(mod, cls).__init__).parameters.values())[1:]
                  if p.kind == p.POSITIONAL_OR_KEYWORD]
        assert tuple(params[:len(names)]) == names, cls


SPEC = """\
input: [4]
layers:
  - Dense(3, activation='relu')
  - Dense(1, activation='sigmoid')
compile:
  optimizer: {optimizer}
  loss: {loss}
  metrics: {metrics}
"""

FORMS = [
    ('"SGD(0.01, momentum=0.9)"', "binary_crossentropy", "[accuracy]"),
    ('"keras.optimizers.SGD(0.01, momentum=0.9)"', '"BinaryCrossentropy(True)"', "[accuracy]"),
    ("{sgd: {learning_rate: 0.01, momentum: 0.9}}", "{class: BinaryCrossentropy, from_logits: true}",
     "[{class: AUC}]"),
    ("{class_name: SGD, config: {learning_rate: 0.01, momentum: 0.9}}", "bce", '["AUC(50)"]'),
]


def _settings(model):
    opt = model.optimizer
    return (type(opt).__name__, round(float(opt.learning_rate), 6), float(opt.momentum))


def _emitted_model(keras, graph):
    keras.backend.clear_session(free_memory=False)
    namespace: dict = {}
    exec(compile(generate(graph), "emitted.py", "exec"), namespace)
    return namespace["model"]


@pytest.mark.parametrize("optimizer, loss, metrics", FORMS)
def test_every_written_form_builds_in_keras(keras, optimizer, loss, metrics):
    graph = load_text(SPEC.format(optimizer=optimizer, loss=loss, metrics=metrics), "s.yaml")
    code = generate(graph)
    assert "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)" in code
    for model in (_emitted_model(keras, graph), build(graph).model):
        assert _settings(model) == ("SGD", 0.01, 0.9)
        assert model.loss is not None


def test_a_positional_from_logits_reaches_keras(keras):
    graph = load_text(SPEC.format(optimizer="adam", loss='"BinaryCrossentropy(True)"', metrics='["AUC(50)"]'),
                      "s.yaml")
    code = generate(graph)
    assert "keras.losses.BinaryCrossentropy(from_logits=True)" in code
    assert "keras.metrics.AUC(num_thresholds=50)" in code
    for model in (_emitted_model(keras, graph), build(graph).model):
        assert model.loss.get_config()["from_logits"] is True
        auc = model._compile_config.config["metrics"][0]
        assert auc.num_thresholds == 50
