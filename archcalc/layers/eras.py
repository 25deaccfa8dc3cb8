"""Keras 1 and Keras 2 as data: the eras, their spellings and defaults, and the report of
what an era changed.

Era differences belong to the layers, not to a reader: the Python reader
(``archcalc/readers/python/legacy.py``) applies these tables to the calls it reads, the
layer registry quotes them in the unknown-layer hint, and the renderers report a read's
era (:func:`era_report`, :func:`summary_lines`). Nothing here imports a reader.

Sources (cited again next to each table): the Keras 1.2.2 layer signatures
(keras-team/keras at tag 1.2.2, ``keras/layers/*.py``), Keras 2's converter of Keras 1
calls (``keras/legacy/interfaces.py`` in Keras 2.0-2.3), Keras 2's layer docs, and Keras 3's
own source (``keras/src/layers``) for what Keras 3 accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERAS = ("keras1", "keras2", "keras3")


class Era(str):
    """An era name that also carries what the file sets globally.

    A ``str`` so that ``era == "keras1"`` and JSON output work unchanged.
    """

    channels_first: bool
    standalone: bool
    ordering_reason: str

    def __new__(cls, name: str, channels_first: bool = False, standalone: bool = False,
                ordering_reason: str = "") -> Era:
        if name not in ERAS:
            raise ValueError(f"unknown era {name!r}")
        self = super().__new__(cls, name)
        self.channels_first = channels_first
        self.standalone = standalone
        self.ordering_reason = ordering_reason
        return self


def as_era(era: str | None) -> Era:
    """An :class:`Era`; a plain "keras2" means standalone Keras 2 (see GRU_RESET_AFTER)."""
    if isinstance(era, Era):
        return era
    name = era or "keras3"
    return Era(name, standalone=name == "keras2")


@dataclass(frozen=True)
class Change:
    """One legacy spelling and its Keras 3 form."""

    old: str  # as written, e.g. "border_mode='same'"
    new: str  # the Keras 3 spelling, e.g. "padding='same'"
    #: True when the era's meaning gives a different number than Keras 3 would for the same
    #: text (a default that changed: GRU's reset_after, channels-first ordering, ...)
    changes_number: bool = False
    note: str = ""


# --- the tables --------------------------------------------------------------------------

#: Keras 1 positional parameters (keras-team/keras tag 1.2.2: keras/layers/core.py,
#: convolutional.py, pooling.py, recurrent.py, embeddings.py, normalization.py, noise.py,
#: advanced_activations.py). Only the leading ones people pass positionally matter.
_CONV_TAIL = ("init", "activation", "weights", "border_mode")
KERAS1_POSITIONAL: dict[str, tuple[str, ...]] = {
    "Dense": ("output_dim", "init", "activation", "weights"),
    "Convolution1D": ("nb_filter", "filter_length", *_CONV_TAIL, "subsample_length"),
    "AtrousConvolution1D": ("nb_filter", "filter_length", *_CONV_TAIL, "subsample_length", "atrous_rate"),
    "Convolution2D": ("nb_filter", "nb_row", "nb_col", *_CONV_TAIL, "subsample", "dim_ordering"),
    "AtrousConvolution2D": ("nb_filter", "nb_row", "nb_col", *_CONV_TAIL, "subsample", "atrous_rate",
                            "dim_ordering"),
    "SeparableConvolution2D": ("nb_filter", "nb_row", "nb_col", *_CONV_TAIL, "subsample",
                               "depth_multiplier", "dim_ordering"),
    "Deconvolution2D": ("nb_filter", "nb_row", "nb_col", "output_shape", *_CONV_TAIL, "subsample",
                        "dim_ordering"),
    "Convolution3D": ("nb_filter", "kernel_dim1", "kernel_dim2", "kernel_dim3", *_CONV_TAIL, "subsample",
                      "dim_ordering"),
    "MaxPooling1D": ("pool_length", "stride", "border_mode"),
    "AveragePooling1D": ("pool_length", "stride", "border_mode"),
    "MaxPooling2D": ("pool_size", "strides", "border_mode", "dim_ordering"),
    "AveragePooling2D": ("pool_size", "strides", "border_mode", "dim_ordering"),
    "MaxPooling3D": ("pool_size", "strides", "border_mode", "dim_ordering"),
    "AveragePooling3D": ("pool_size", "strides", "border_mode", "dim_ordering"),
    "UpSampling1D": ("length",),
    "UpSampling2D": ("size", "dim_ordering"),
    "ZeroPadding2D": ("padding", "dim_ordering"),
    "Cropping2D": ("cropping", "dim_ordering"),
    "Embedding": ("input_dim", "output_dim", "init", "input_length"),
    "LSTM": ("output_dim", "init", "inner_init", "forget_bias_init", "activation", "inner_activation"),
    "GRU": ("output_dim", "init", "inner_init", "activation", "inner_activation"),
    "SimpleRNN": ("output_dim", "init", "inner_init", "activation"),
    "Dropout": ("p",),
    "SpatialDropout1D": ("p",),
    "SpatialDropout2D": ("p", "dim_ordering"),
    "GaussianDropout": ("p",),
    "GaussianNoise": ("sigma",),
    "BatchNormalization": ("epsilon", "mode", "axis", "momentum"),
    "LeakyReLU": ("alpha",),
    "ELU": ("alpha",),
    "ThresholdedReLU": ("theta",),
    "PReLU": ("init",),
}

#: Keras 1 layer class -> Keras 3 class (Keras 2's legacy interfaces map the same way;
#: Keras 3 still accepts Convolution2D etc. as aliases, but with Keras 3's signature)
RENAMED_LAYERS: dict[str, str] = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "AtrousConvolution1D": "Conv1D", "AtrousConvolution2D": "Conv2D",
    "SeparableConvolution2D": "SeparableConv2D", "Deconvolution2D": "Conv2DTranspose",
    "Deconvolution3D": "Conv3DTranspose",
    # Keras 2's cuDNN-only GRU: bias of 6u, i.e. Keras 3's GRU(reset_after=True)
    # (tensorflow/python/keras/layers/cudnn_recurrent.py: CuDNNGRU.build, bias shape units * 6)
    "CuDNNGRU": "GRU",
    # Keras 2 removed it: f(x) = x for x > theta else 0; Keras 3's ReLU(threshold=) is the same
    # function (it differs only at x == theta), 0 weights either way
    "ThresholdedReLU": "ReLU",
}

#: argument renames, Keras 1 -> Keras 3, from Keras 2's keras/legacy/interfaces.py
#: (legacy_dense_support, legacy_conv*_support, legacy_recurrent_support, legacy_pooling*,
#: legacy_embedding_support, legacy_dropout_support, legacy_gaussiannoise_support,
#: legacy_batchnorm_support, legacy_upsampling1d_support, legacy_prelu_support)
_WEIGHTS = {"init": "kernel_initializer", "W_regularizer": "kernel_regularizer",
            "b_regularizer": "bias_regularizer", "W_constraint": "kernel_constraint",
            "b_constraint": "bias_constraint", "bias": "use_bias"}
_CONV = {**_WEIGHTS, "nb_filter": "filters", "subsample": "strides", "border_mode": "padding",
         "dim_ordering": "data_format", "atrous_rate": "dilation_rate"}
_RECURRENT = {**_WEIGHTS, "output_dim": "units", "inner_init": "recurrent_initializer",
              "inner_activation": "recurrent_activation", "U_regularizer": "recurrent_regularizer",
              "dropout_W": "dropout", "dropout_U": "recurrent_dropout"}
_POOL = {"pool_length": "pool_size", "stride": "strides", "border_mode": "padding",
         "dim_ordering": "data_format"}
_ORDER = {"dim_ordering": "data_format"}
ARG_RENAMES: dict[str, dict[str, str]] = {
    "Dense": {**_WEIGHTS, "output_dim": "units"},
    "Conv1D": {**_CONV, "filter_length": "kernel_size", "subsample_length": "strides"},
    "Conv2D": _CONV, "Conv3D": _CONV, "Conv2DTranspose": _CONV, "Conv3DTranspose": _CONV,
    # legacy_separable_conv2d_support: init feeds both initializers (handled below)
    "SeparableConv2D": {k: v for k, v in _CONV.items() if k not in ("init", "W_regularizer", "W_constraint")},
    "LSTM": _RECURRENT, "GRU": _RECURRENT, "SimpleRNN": _RECURRENT,
    "Embedding": {"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                  "W_constraint": "embeddings_constraint"},
    **{f"{k}Pooling{d}D": _POOL for k in ("Max", "Average") for d in (1, 2, 3)},
    **{f"Global{k}Pooling{d}D": _ORDER for k in ("Max", "Average") for d in (1, 2, 3)},
    "UpSampling1D": {"length": "size"}, "UpSampling2D": _ORDER, "UpSampling3D": _ORDER,
    "ZeroPadding2D": _ORDER, "ZeroPadding3D": _ORDER, "Cropping2D": _ORDER, "Cropping3D": _ORDER,
    "Dropout": {"p": "rate"}, "SpatialDropout1D": {"p": "rate"},
    "SpatialDropout2D": {"p": "rate", **_ORDER}, "SpatialDropout3D": {"p": "rate", **_ORDER},
    "GaussianDropout": {"p": "rate"}, "GaussianNoise": {"sigma": "stddev"},
    "BatchNormalization": {"beta_init": "beta_initializer", "gamma_init": "gamma_initializer"},
    "PReLU": {"init": "alpha_initializer"},
    # Keras 3: LeakyReLU(negative_slope=); alpha is deprecated (keras/src/layers/activations/leaky_relu.py)
    "LeakyReLU": {"alpha": "negative_slope"},
    "ReLU": {"theta": "threshold"},
    "Softmax": {},
}

#: kernel parts of Keras 1 convolutions -> kernel_size (interfaces.conv2d/conv3d_args_preprocessor)
KERNEL_PARTS: dict[str, tuple[str, ...]] = {
    "Conv1D": ("filter_length",),
    "Conv2D": ("nb_row", "nb_col"), "SeparableConv2D": ("nb_row", "nb_col"),
    "Conv2DTranspose": ("nb_row", "nb_col"),
    "Conv3D": ("kernel_dim1", "kernel_dim2", "kernel_dim3"),
}

#: value renames (interfaces.py value_conversions; Keras 1 initializer names, keras/initializations.py)
VALUE_RENAMES: dict[str, dict[Any, Any]] = {
    "data_format": {"tf": "channels_last", "th": "channels_first", "default": None},
    "kernel_initializer": {"zero": "zeros", "one": "ones"},
    "recurrent_initializer": {"zero": "zeros", "one": "ones"},
    "embeddings_initializer": {"zero": "zeros", "one": "ones"},
    "alpha_initializer": {"zero": "zeros", "one": "ones"},
}

#: Keras 1/2 arguments Keras 3 has no place for; dropping them changes no count or shape
DROPPED: dict[str, str] = {
    "weights": "initial weight values: set them with layer.set_weights(...) after building",
    "consume_less": "an implementation choice (Keras 2: implementation=); Keras 3 picks one itself",
    "implementation": "Keras 3's recurrent layers choose their implementation themselves",
    "output_shape": "Keras 3 computes a transposed convolution's output shape",
    "forget_bias_init": "Keras 2 maps forget_bias_init='one' to unit_forget_bias=True",
}

#: Keras 1 layers with no Keras 3 layer: refused, with their Keras 1 weights (tag 1.2.2,
#: keras/layers/core.py) so the user can model them
NO_EQUIVALENT: dict[str, str] = {
    "Highway": "Keras 1's Highway (y = T*H(Wx+b) + (1-T)*x, T = sigmoid(W_carry x + b_carry)) has "
               "2n(n+1) weights for n features and no Keras 3 layer",
    "MaxoutDense": "Keras 1's MaxoutDense (the max over nb_feature Dense layers, "
                   "nb_feature*(n+1)*output_dim weights) has no Keras 3 layer",
    "CuDNNLSTM": "Keras 2's CuDNNLSTM has a bias of 8*units (4u(n+u+2) weights); Keras 3's LSTM has "
                 "4u(n+u+1), so no Keras 3 layer gives the same count",
    "ParametricSoftplus": "Keras 1's ParametricSoftplus has no Keras 3 layer",
    "SReLU": "Keras 1's SReLU has no Keras 3 layer",
}

#: 2-D/3-D image layers whose ordering followed the global setting (Keras 1: dim_ordering=
#: 'default' -> K.image_dim_ordering(); Keras 2: data_format=None -> K.image_data_format());
#: 1-D layers were always (steps, channels)
IMAGE_LAYERS = frozenset({
    "Conv2D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv2D", "DepthwiseConv2D",
    *(f"{k}Pooling{d}D" for k in ("Max", "Average", "GlobalMax", "GlobalAverage") for d in (2, 3)),
    "UpSampling2D", "UpSampling3D", "ZeroPadding2D", "ZeroPadding3D", "Cropping2D", "Cropping3D",
    "SpatialDropout2D", "SpatialDropout3D",
})

#: GRU's reset_after default by era. Keras 1 has one bias per gate (3u(n+u+1) weights,
#: tag 1.2.2 keras/layers/recurrent.py GRU.build); standalone Keras 2.1-2.3 added the
#: argument with "False = 'before' (default)" (keras/layers/recurrent.py, GRU docstring);
#: tf.keras 2 (TF >= 2.0, recurrent_v2.GRU) and Keras 3 default to True.
GRU_RESET_AFTER = {"keras1": False, "keras2-standalone": False, "keras2-tf": True, "keras3": True}
#: AveragePooling's pool_size when none is given: Keras 1/2 and tf.keras 2 defaulted to 2 per
#: axis (keras/layers/pooling.py, AveragePooling2D(pool_size=(2, 2))); Keras 3 requires one.
LEGACY_POOL_SIZE: dict[str, Any] = {"AveragePooling1D": 2, "AveragePooling2D": (2, 2), "AveragePooling3D": (2, 2, 2),
                                    "AvgPool1D": 2, "AvgPool2D": (2, 2), "AvgPool3D": (2, 2, 2)}

#: Keras 1 merge modes -> Keras 3 merge layers (tag 1.2.2 keras/engine/topology.py Merge)
MERGE_MODES: dict[str, str] = {"concat": "Concatenate", "sum": "Add", "mul": "Multiply",
                               "ave": "Average", "max": "Maximum", "dot": "Dot", "cos": "Dot"}

#: legacy modules and what a star import of them gives (Keras 1.2 / 2.x keras/layers/*.py)
LEGACY_LAYER_MODULES: dict[str, tuple[str, ...]] = {
    "core": ("Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector",
             "Lambda", "Masking", "ActivityRegularization", "SpatialDropout1D", "SpatialDropout2D",
             "SpatialDropout3D", "Merge", "merge", "Highway", "MaxoutDense", "TimeDistributedDense"),
    "convolutional": ("Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose",
                      "SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D", "Convolution1D",
                      "Convolution2D", "Convolution3D", "AtrousConvolution1D", "AtrousConvolution2D",
                      "Deconvolution2D", "SeparableConvolution2D", "UpSampling1D", "UpSampling2D",
                      "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
                      "Cropping2D", "Cropping3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
                      "AveragePooling1D", "AveragePooling2D", "AveragePooling3D"),
    "pooling": tuple(f"{k}{d}D" for k in ("MaxPooling", "AveragePooling", "GlobalMaxPooling",
                                           "GlobalAveragePooling", "MaxPool", "AvgPool") for d in (1, 2, 3)),
    "recurrent": ("SimpleRNN", "GRU", "LSTM"),
    "cudnn_recurrent": ("CuDNNGRU", "CuDNNLSTM"),
    "embeddings": ("Embedding",),
    "normalization": ("BatchNormalization",),
    "noise": ("GaussianNoise", "GaussianDropout", "AlphaDropout"),
    "advanced_activations": ("LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax", "ReLU"),
    "merge": ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
              "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot"),
    "wrappers": ("TimeDistributed", "Bidirectional"),
}

#: optimizer arguments Keras 3 renamed or dropped (Keras 2.x keras/optimizers.py: lr, decay;
#: Keras 3 keras/src/optimizers/base_optimizer.py rejects both)
CONFIG_RENAMES: dict[str, str] = {"lr": "learning_rate"}
CONFIG_DROPPED: dict[str, str] = {
    "decay": "Keras 3 has no per-step decay argument: use a keras.optimizers.schedules.InverseTimeDecay",
}

#: what names in the file tell the era (keyword arguments of calls, called names, modules)
KERAS1_KEYWORDS = frozenset({
    "border_mode", "nb_filter", "nb_row", "nb_col", "subsample", "subsample_length", "filter_length",
    "init", "inner_init", "W_regularizer", "b_regularizer", "U_regularizer", "W_constraint",
    "b_constraint", "dim_ordering", "pool_length", "dropout_W", "dropout_U", "consume_less",
    "nb_epoch", "samples_per_epoch", "nb_val_samples", "forget_bias_init", "inner_activation",
    "atrous_rate", "kernel_dim1", "concat_axis", "dot_axes", "nb_worker", "val_samples",
})
KERAS1_NAMES = frozenset({"merge", "Merge", "Highway", "MaxoutDense", "TimeDistributedDense",
                          "AtrousConvolution1D", "AtrousConvolution2D", "Deconvolution2D",
                          "image_dim_ordering", "set_image_dim_ordering", "ParametricSoftplus", "SReLU"})
#: Keras 1 calls whose positional integers only Keras 1 reads as kernel sizes
KERAS1_CONV_CALLS = {"Convolution2D": 3, "Convolution3D": 4}
KERAS2_MODULES = ("keras.layers.core", "keras.layers.convolutional", "keras.layers.recurrent",
                  "keras.layers.pooling", "keras.layers.normalization", "keras.layers.embeddings",
                  "keras.layers.merge", "keras.layers.advanced_activations", "keras.layers.noise",
                  "keras.layers.wrappers", "keras.layers.cudnn_recurrent", "keras.layers.local",
                  "keras.layers.convolutional_recurrent", "keras.engine", "keras.legacy",
                  "keras.utils.np_utils", "keras.wrappers", "keras.applications.imagenet_utils",
                  "tensorflow.python.keras", "tf_keras", "tensorflow.keras.layers.experimental")
KERAS2_NAMES = frozenset({"CuDNNLSTM", "CuDNNGRU", "fit_generator", "evaluate_generator",
                          "predict_generator", "image_data_format", "set_image_data_format"})
#: a module whose import says "tf.keras" (not standalone Keras)
TF_KERAS_MODULES = ("tensorflow", "tf_keras")


# --- reporting -----------------------------------------------------------------------------


def number_changes(graph: Any) -> list[dict[str, Any]]:
    """Every place where the era changed a number: [{layer, line, old, new, note}]."""
    out = []
    for node in graph.nodes.values():
        for ch in node.meta.get("legacy", ()) if node.meta else ():
            if ch.changes_number:
                loc = node.loc
                out.append({"layer": node.name, "line": loc.line if loc else 0,
                            "location": str(loc) if loc else "", "old": ch.old, "new": ch.new,
                            "note": ch.note})
    return out


def era_report(graph: Any) -> dict[str, Any] | None:
    """The JSON report's ``era`` object (None for files without an era: YAML, .keras)."""
    info = graph.extras.get("era") if getattr(graph, "extras", None) else None
    if not info:
        return None
    return {"era": str(info["era"]), "reason": info["reason"], "number_changes": number_changes(graph)}


def summary_lines(graph: Any) -> list[str]:
    """Lines under the summary table: the era read (when not Keras 3) and each number it changed."""
    info = era_report(graph)
    if info is None or (info["era"] == "keras3" and not info["number_changes"]):
        return []
    names = {"keras1": "Keras 1", "keras2": "Keras 2", "keras3": "Keras 3"}
    lines = [f"Read as {names[info['era']]} code ({info['reason']}); legacy spellings translated to Keras 3."]
    for ch in info["number_changes"]:
        lines.append(f"  {ch['location']}: {ch['layer']}: {ch['new']}: {ch['note']}")
    return lines
