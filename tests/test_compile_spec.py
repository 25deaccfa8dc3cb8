"""compile() settings in every form a front-end keeps them (the shapes the .py reader, the
.json reader and YAML specs produce)."""

from __future__ import annotations

import pytest

from archcalc.compile_spec import split_spec


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
