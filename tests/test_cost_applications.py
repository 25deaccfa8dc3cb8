"""Acceptance: archcalc's MACs on keras.applications models equal an independent count of
their convolution and Dense kernel multiply-adds, made here from the real Keras model, and
land on the figures the papers print.

The independent count: every kernel weight of a Conv (any kind), SeparableConv or Dense layer
is used once per output position, so a layer's multiply-adds are (output positions) x (kernel
size), read from Keras's own layer output shapes and weight shapes.
"""

from __future__ import annotations

import math

import pytest

#: model -> (figure printed by its paper or table, the unit it is printed in, source)
PAPERS = {
    "ResNet50": (3.8e9, 1e8, "He et al. 2016, table 1: 3.8 x 10^9 FLOPs (multiply-adds)"),
    "MobileNet": (569e6, 1e6, "Howard et al. 2017, table 8: 569 million mult-adds"),
    "MobileNetV2": (300e6, 1e6, "Sandler et al. 2018, table 4: 300M multiply-adds"),
    "NASNetMobile": (564e6, 1e6, "Zoph et al. 2018, table 2: 564M mult-adds"),
    "EfficientNetB0": (0.39e9, 0.01e9, "Tan and Le 2019, table 2: 0.39B FLOPs"),
    "ConvNeXtTiny": (4.5e9, 0.1e9, "Liu et al. 2022, table 1: 4.5G FLOPs"),
    "DenseNet121": (2.834e9, 0.001e9, "torchvision's model table: 2.834 GFLOPS"),
}
MODELS = ["VGG16", *PAPERS]


def kernel_macs(model) -> tuple[int, list[str]]:
    """(Sum over kernels of output positions x kernel size, the weighted layers left out)."""
    import keras

    kernels = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D,
               keras.layers.DepthwiseConv2D, keras.layers.SeparableConv2D)
    total, others = 0, []
    for layer in model.layers:
        if isinstance(layer, keras.Model):  # a nested model (ConvNeXt's stem): its own layers
            inner, rest = kernel_macs(layer)
            total += inner
            others += rest
            continue
        if not isinstance(layer, kernels):
            if layer.weights:
                others.append(type(layer).__name__)
            continue
        positions = math.prod(layer.output.shape[1:-1])  # channels_last: every axis but the channels
        for w in layer.weights:
            if w.name.endswith("kernel"):  # kernel, depthwise_kernel, pointwise_kernel
                total += positions * math.prod(w.shape)
    return total, sorted(set(others))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each model built once with real Keras (no weights), saved as .json, read by archcalc."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    import archcalc
    from archcalc.cost import model_cost
    from archcalc.readers import load

    out = {}
    folder = tmp_path_factory.mktemp("apps")
    for name in MODELS:
        model = getattr(keras.applications, name)(weights=None)
        path = folder / f"{name}.json"
        path.write_text(model.to_json())
        analysis = archcalc.analyze(load(path))
        out[name] = (model, analysis, model_cost(analysis))
        keras.backend.clear_session()
    return out


@pytest.mark.keras
@pytest.mark.parametrize("name", MODELS)
def test_macs_equal_the_kernel_multiply_adds(built, name):
    model, analysis, cost = built[name]
    assert analysis.total_params == model.count_params()
    expected, others = kernel_macs(model)
    # what holds weights but no kernel: normalisation and ConvNeXt's layer scale only
    assert set(others) <= {"BatchNormalization", "LayerNormalization", "Normalization", "LayerScale"}
    assert cost.macs == expected
    assert not cost.uncounted
    assert cost.flops == 2 * cost.macs + cost.other_ops and cost.other_ops > 0


@pytest.mark.keras
@pytest.mark.parametrize("name", list(PAPERS))
def test_papers_figures_within_their_printed_rounding(built, name):
    """The paper's figure, printed to ``unit``, is archcalc's count rounded or cut to that unit."""
    figure, unit, source = PAPERS[name]
    macs = built[name][2].macs
    printed = {round(macs / unit), math.floor(macs / unit)}
    assert round(figure / unit) in printed, f"{name}: {macs:,} vs {source}"


@pytest.mark.keras
def test_vgg16_counts_its_classifier(built):
    """VGG16's often-quoted 15.3G is its 13 convolutions (15.35G, cut to 15.3); archcalc counts
    the three Dense layers too (123.6M multiply-adds: 25088 x 4096 + 4096 x 4096 + 4096 x 1000)."""
    model, analysis, cost = built["VGG16"]
    dense = sum(c.macs for name, c in cost.layers.items() if analysis.by_name[name].type == "Dense")
    assert dense == 25088 * 4096 + 4096 * 4096 + 4096 * 1000
    assert math.floor((cost.macs - dense) / 1e8) == 153
