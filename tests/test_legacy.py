"""Keras 1 and Keras 2 code read with its own era's meaning (archcalc/readers/python/legacy.py).

Unit tests of the tables and the helpers, then old programs read through the Python reader
and compared with the same model written in Keras 3 (the translation is written in each
test) and built by real Keras. The numbers an era's default changes (GRU reset_after,
channels-first ordering) come from real Keras built with that era's setting.
"""

from __future__ import annotations

import ast

import pytest

from archcalc.engine import analyze
from archcalc.errors import SpecError
from archcalc.layers import eras
from archcalc.readers.python import legacy, load_text


def era_of(text: str) -> legacy.Era:
    return legacy.detect_era(ast.parse(text), text)[0]


def counts(text: str, **kw):
    a = analyze(load_text(text, **kw))
    return [(r.name, tuple(r.output_shape), int(r.trainable_params), int(r.non_trainable_params))
            for r in a.rows if not r.node.is_input], int(a.total_params)


# --- tables and helpers ------------------------------------------------------------------


def test_keras1_conv_signature_becomes_keras3_keywords():
    t = legacy.translate_layer("Convolution2D", [32, 3, 3], {"border_mode": "same", "subsample": (2, 2),
                                                              "init": "he_normal", "W_regularizer": None,
                                                              "bias": False}, legacy.Era("keras1"))
    assert t.name == "Conv2D" and t.args == []
    assert t.kwargs == {"filters": 32, "kernel_size": (3, 3), "padding": "same", "strides": (2, 2),
                        "kernel_initializer": "he_normal", "kernel_regularizer": None, "use_bias": False}
    assert ("border_mode='same'", "padding='same'") in [(c.old, c.new) for c in t.changes]
    assert not any(c.changes_number for c in t.changes)


@pytest.mark.parametrize("name, args, kwargs, new, expect", [
    ("Convolution1D", [64, 5], {"subsample_length": 2, "border_mode": "valid"}, "Conv1D",
     {"filters": 64, "kernel_size": 5, "strides": 2, "padding": "valid"}),
    ("Convolution3D", [8, 3, 3, 3], {}, "Conv3D", {"filters": 8, "kernel_size": (3, 3, 3)}),
    ("AtrousConvolution2D", [16, 3, 3], {"atrous_rate": (2, 2)}, "Conv2D",
     {"filters": 16, "kernel_size": (3, 3), "dilation_rate": (2, 2)}),
    ("Deconvolution2D", [8, 3, 3, (None, 14, 14, 8)], {"subsample": (2, 2)}, "Conv2DTranspose",
     {"filters": 8, "kernel_size": (3, 3), "strides": (2, 2)}),
    ("MaxPooling1D", [], {"pool_length": 2, "stride": 1}, "MaxPooling1D", {"pool_size": 2, "strides": 1}),
    ("MaxPooling2D", [(2, 2), (1, 1), "same"], {}, "MaxPooling2D",
     {"pool_size": (2, 2), "strides": (1, 1), "padding": "same"}),
    ("Dense", [10], {"init": "uniform", "bias": True, "input_dim": 20}, "Dense",
     {"units": 10, "kernel_initializer": "uniform", "use_bias": True, "input_dim": 20}),
    ("Embedding", [1000, 64], {"input_length": 20, "dropout": 0.2, "init": "uniform"}, "Embedding",
     {"input_dim": 1000, "output_dim": 64, "input_length": 20, "embeddings_initializer": "uniform"}),
    ("LSTM", [32], {"input_dim": 8, "input_length": 10, "forget_bias_init": "one", "inner_activation": "sigmoid"},
     "LSTM", {"units": 32, "input_shape": (10, 8), "unit_forget_bias": True, "recurrent_activation": "sigmoid"}),
    ("BatchNormalization", [], {"mode": 0, "axis": 1}, "BatchNormalization", {"axis": 1}),
    ("Dropout", [0.5], {}, "Dropout", {"rate": 0.5}),
    ("GaussianNoise", [0.1], {}, "GaussianNoise", {"stddev": 0.1}),
    ("UpSampling2D", [], {"size": (2, 2), "dim_ordering": "tf"}, "UpSampling2D",
     {"size": (2, 2), "data_format": "channels_last"}),
    ("ZeroPadding2D", [], {"padding": {"top_pad": 1, "bottom_pad": 2}}, "ZeroPadding2D",
     {"padding": ((1, 2), (0, 0))}),
    ("LeakyReLU", [], {"alpha": 0.1}, "LeakyReLU", {"negative_slope": 0.1}),
    ("ThresholdedReLU", [], {"theta": 0.5}, "ReLU", {"threshold": 0.5}),
])
def test_keras1_tables(name, args, kwargs, new, expect):
    t = legacy.translate_layer(name, args, kwargs, legacy.Era("keras1"))
    assert t.name == new
    assert t.args == [] and t.kwargs == expect


def test_keras2_positional_kernel_is_the_legacy_converters_and_changes_a_number():
    # standalone Keras 2: interfaces.conv2d_args_preprocessor makes (3, 3) the kernel
    t = legacy.translate_layer("Conv2D", [32, 3, 3], {}, legacy.Era("keras2", standalone=True))
    assert t.args == [32, (3, 3)]
    assert [c.changes_number for c in t.changes] == [True]
    # tf.keras had no converter: Conv2D(32, 3, 3) is strides=3 there, as in Keras 3
    assert legacy.translate_layer("Conv2D", [32, 3, 3], {}, legacy.Era("keras2")).args == [32, 3, 3]
    # with padding given, Keras 2 refused the ambiguity: left to the registry
    assert legacy.translate_layer("Conv2D", [32, 3, 3], {"padding": "same"},
                                  legacy.Era("keras2", standalone=True)).args == [32, 3, 3]


def test_keras2_spellings():
    k2 = legacy.Era("keras2")
    assert legacy.translate_layer("CuDNNGRU", [32], {}, k2).kwargs == {
        "reset_after": True, "recurrent_activation": "sigmoid"}
    assert legacy.translate_layer("GRU", [32], {"implementation": 2, "unroll": True}, k2).kwargs == {"unroll": True}
    assert legacy.translate_layer("Softmax", [1], {}, k2).args == [1]


@pytest.mark.parametrize("era, expect", [("keras1", False), (legacy.Era("keras2", standalone=True), False),
                                         (legacy.Era("keras2"), None), ("keras3", None)])
def test_gru_reset_after_default_by_era(era, expect):
    t = legacy.translate_layer("GRU", [8], {}, era)
    assert t.kwargs.get("reset_after") is expect
    assert any(c.changes_number for c in t.changes) is (expect is False)
    # written explicitly: no change
    assert legacy.translate_layer("GRU", [8], {"reset_after": True}, era).kwargs["reset_after"] is True


def test_refusals_are_clear():
    for name in ("Highway", "MaxoutDense", "CuDNNLSTM"):
        with pytest.raises(SpecError) as err:
            legacy.translate_layer(name, [8], {}, legacy.Era("keras1"))
        assert "Keras 3" in err.value.message and err.value.hint
    with pytest.raises(SpecError, match="mode=1"):
        legacy.translate_layer("BatchNormalization", [], {"mode": 1}, legacy.Era("keras1"))
    with pytest.raises(SpecError, match="full"):
        legacy.translate_layer("Convolution2D", [8, 3, 3], {"border_mode": "full"}, legacy.Era("keras1"))


def test_time_distributed_dense_is_time_distributed_dense():
    t = legacy.translate_layer("TimeDistributedDense", [16], {"input_dim": 8, "input_length": 5},
                               legacy.Era("keras1"))
    assert t.name == "TimeDistributed" and t.args[0].keras_name == "Dense"
    assert t.kwargs == {"input_shape": (5, 8)}


@pytest.mark.parametrize("kwargs, layer, out", [
    ({"mode": "concat", "concat_axis": 1}, "Concatenate", {"axis": 1}),
    ({"mode": "concat"}, "Concatenate", {}),
    ({}, "Add", {}),
    ({"mode": "mul"}, "Multiply", {}),
    ({"mode": "ave"}, "Average", {}),
    ({"mode": "max"}, "Maximum", {}),
    ({"mode": "dot", "dot_axes": 1}, "Dot", {"axes": 1}),
    ({"mode": "cos", "dot_axes": (1, 1)}, "Dot", {"axes": [1, 1], "normalize": True}),
])
def test_translate_merge(kwargs, layer, out):
    m = legacy.translate_merge("merge", [["a", "b"]], kwargs, "keras1")
    assert (m.layer, m.kwargs, m.inputs) == (layer, out, ["a", "b"])
    assert m.changes


def test_translate_merge_refuses_a_function_mode():
    with pytest.raises(SpecError, match="Python code"):
        legacy.translate_merge("merge", [["a", "b"]], {"mode": len}, "keras1")


def test_model_and_optimizer_kwargs_and_star_imports():
    kw, ch = legacy.translate_model_kwargs({"input": 1, "output": 2}, "keras1")
    assert kw == {"inputs": 1, "outputs": 2} and len(ch) == 2
    kw, ch = legacy.translate_config("optimizers", "SGD", {"lr": 0.01, "decay": 1e-6, "momentum": 0.9}, "keras2")
    assert kw == {"learning_rate": 0.01, "momentum": 0.9} and len(ch) == 2
    assert "Convolution2D" in legacy.star_names("keras.layers.convolutional")
    assert legacy.star_names(("keras", "layers")) is None
    assert legacy.backend_facts(legacy.Era("keras1", channels_first=True))["image_dim_ordering"] == "th"
    assert legacy.backend_facts("keras1") == {"image_dim_ordering": "tf", "image_data_format": "channels_last"}


@pytest.mark.parametrize("text, era, why", [
    ("from keras.layers import Dense\nx = Dense(output_dim=3)\n", "keras1", "line 2"),
    ("from keras.layers.core import Dense\n", "keras2", "line 1: imports keras.layers.core"),
    ("from keras.optimizers import SGD\nopt = SGD(lr=0.1)\n", "keras2", "line 2"),
    ("from keras import backend as K\nif K.image_data_format() == 'channels_first': pass\n", "keras2", "line 2"),
    ("from tensorflow.python.keras.layers import Dense\n", "keras2", "tf.keras"),
    ("import keras\nfrom keras import layers\nx = layers.Embedding(10, output_dim=4)\n", "keras3", "no Keras 1"),
])
def test_detect_era_says_which_line(text, era, why):
    got, reason = legacy.detect_era(ast.parse(text), text)
    assert got == era and why in reason


def test_detect_channels_first_and_forced_era():
    text = "from keras import backend as K\nK.set_image_dim_ordering('th')\n"
    era, reason = legacy.detect_era(ast.parse(text), text)
    assert era == "keras1" and era.channels_first and "line 2" in reason
    forced, why = legacy.detect_era(ast.parse(text), text, forced="keras2")
    assert forced == "keras2" and forced.channels_first and "given" in why


# --- old programs, read and compared with real Keras 3 --------------------------------------

KERAS1_MNIST = """
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation, Flatten
from keras.layers.convolutional import Convolution2D, MaxPooling2D
from keras.utils import np_utils

nb_classes = 10
nb_filters = 32
nb_pool = 2
nb_conv = 3
model = Sequential()
model.add(Convolution2D(nb_filters, nb_conv, nb_conv, border_mode='valid', input_shape=(28, 28, 1)))
model.add(Activation('relu'))
model.add(Convolution2D(nb_filters, nb_conv, nb_conv, subsample=(2, 2), init='he_normal'))
model.add(MaxPooling2D(pool_size=(nb_pool, nb_pool)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128, W_regularizer=None))
model.add(Dense(output_dim=nb_classes, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adadelta', metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=128, nb_epoch=12, verbose=1)
"""

KERAS1_IMDB = """
from keras.models import Sequential
from keras.layers import Dense, Embedding, LSTM, Convolution1D, MaxPooling1D

model = Sequential()
model.add(Embedding(20000, 128, input_length=100, dropout=0.2))
model.add(Convolution1D(nb_filter=64, filter_length=5, border_mode='valid', activation='relu',
                        subsample_length=1))
model.add(MaxPooling1D(pool_length=4))
model.add(LSTM(70, dropout_W=0.2, dropout_U=0.2, consume_less='gpu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
"""

KERAS1_FUNCTIONAL = """
from keras.layers import Input, Dense, BatchNormalization
from keras.models import Model
from keras.layers.advanced_activations import LeakyReLU

inputs = Input(shape=(784,))
x = Dense(output_dim=256, init='glorot_normal')(inputs)
x = BatchNormalization(mode=0)(x)
x = LeakyReLU(alpha=0.2)(x)
outputs = Dense(10, activation='softmax')(x)
model = Model(inputs, outputs)
"""

KERAS2_STANDALONE = """
import keras
from keras.models import Sequential
from keras.layers.convolutional import Conv2D, MaxPooling2D
from keras.layers.core import Dense, Flatten
from keras.layers.advanced_activations import LeakyReLU
from keras.optimizers import SGD

model = Sequential()
model.add(Conv2D(16, 3, 3, input_shape=(32, 32, 3)))
model.add(LeakyReLU(alpha=0.1))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(10, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer=SGD(lr=0.01), metrics=['accuracy'])
model.fit_generator(gen, steps_per_epoch=100, epochs=5)
"""

KERAS2_TF = """
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Embedding, GRU, Dense

model = Sequential()
model.add(Embedding(5000, 32, input_length=50))
model.add(GRU(16, implementation=2))
model.add(Dense(1, activation='sigmoid'))
model.fit_generator(batches, steps_per_epoch=10)
"""


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def keras_counts(model):
    out = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        trainable = sum(int(w.numpy().size) for w in layer.trainable_weights)
        non = sum(int(w.numpy().size) for w in layer.non_trainable_weights)
        out.append((tuple(layer.output.shape), trainable, non))
    return out, model.count_params()


def same(ours, theirs):
    rows, total = ours
    krows, ktotal = theirs
    assert [(s, t, n) for _, s, t, n in rows] == krows
    assert total == ktotal


def test_eras_are_detected_for_the_programs():
    assert era_of(KERAS1_MNIST) == "keras1"
    assert era_of(KERAS1_IMDB) == "keras1"
    assert era_of(KERAS1_FUNCTIONAL) == "keras1"
    k2 = era_of(KERAS2_STANDALONE)
    assert k2 == "keras2" and k2.standalone
    tf2 = era_of(KERAS2_TF)
    assert tf2 == "keras2" and not tf2.standalone


@pytest.mark.keras
def test_keras1_mnist(keras):
    L = keras.layers
    # translation: Convolution2D(32, 3, 3, border_mode='valid') -> Conv2D(32, (3, 3), padding='valid');
    # subsample -> strides; Dense(output_dim=) -> Dense(units)
    ref = keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(32, (3, 3), padding="valid"), L.Activation("relu"),
                            L.Conv2D(32, (3, 3), strides=(2, 2)), L.MaxPooling2D((2, 2)), L.Dropout(0.25),
                            L.Flatten(), L.Dense(128), L.Dense(10, activation="softmax")])
    same(counts(KERAS1_MNIST), keras_counts(ref))


@pytest.mark.keras
def test_keras1_imdb_cnn_lstm(keras):
    L = keras.layers
    # Embedding(dropout=) dropped; Convolution1D(nb_filter, filter_length, subsample_length) ->
    # Conv1D(filters, kernel_size, strides); MaxPooling1D(pool_length) -> pool_size; LSTM
    # dropout_W/U -> dropout/recurrent_dropout; input_length is the Sequential input length
    ref = keras.Sequential([keras.Input((100,)), L.Embedding(20000, 128), L.Conv1D(64, 5, activation="relu"),
                            L.MaxPooling1D(4), L.LSTM(70, dropout=0.2, recurrent_dropout=0.2),
                            L.Dense(1, activation="sigmoid")])
    same(counts(KERAS1_IMDB), keras_counts(ref))


@pytest.mark.keras
def test_keras1_functional(keras):
    L = keras.layers
    inp = keras.Input((784,))
    x = L.Dense(256, kernel_initializer="glorot_normal")(inp)
    x = L.BatchNormalization()(x)
    x = L.LeakyReLU(negative_slope=0.2)(x)
    ref = keras.Model(inp, L.Dense(10, activation="softmax")(x))
    same(counts(KERAS1_FUNCTIONAL), keras_counts(ref))


@pytest.mark.keras
def test_keras2_standalone_positional_kernel(keras):
    L = keras.layers
    # Keras 2's converter: Conv2D(16, 3, 3) is Conv2D(16, (3, 3)); LeakyReLU(alpha) -> negative_slope
    ref = keras.Sequential([keras.Input((32, 32, 3)), L.Conv2D(16, (3, 3)), L.LeakyReLU(negative_slope=0.1),
                            L.MaxPooling2D((2, 2)), L.Flatten(), L.Dense(10, activation="softmax")])
    same(counts(KERAS2_STANDALONE), keras_counts(ref))
    # read as Keras 3, the same text means strides=3: another model (10x10 instead of 30x30)
    rows, _ = counts(KERAS2_STANDALONE.replace("Conv2D(16, 3, 3, ", "Conv2D(16, 3, 3, name='c', "), era="keras3")
    assert rows[0][1] == (None, 10, 10, 16)


@pytest.mark.keras
def test_keras2_tf_keras_gru_keeps_reset_after_true(keras):
    L = keras.layers
    ref = keras.Sequential([keras.Input((50,)), L.Embedding(5000, 32), L.GRU(16), L.Dense(1, activation="sigmoid")])
    same(counts(KERAS2_TF), keras_counts(ref))


@pytest.mark.keras
def test_keras1_gru_has_reset_after_false_semantics(keras):
    text = ("from keras.models import Sequential\nfrom keras.layers import GRU, Dense\n"
            "model = Sequential()\nmodel.add(GRU(output_dim=32, input_dim=8, input_length=10))\n"
            "model.add(Dense(1))\n")
    L = keras.layers
    era_ref = keras.Sequential([keras.Input((10, 8)), L.GRU(32, reset_after=False), L.Dense(1)])
    k3_ref = keras.Sequential([keras.Input((10, 8)), L.GRU(32), L.Dense(1)])
    graph = load_text(text)
    same(counts(text), keras_counts(era_ref))
    gru = graph.nodes["gru"]
    changed = [c for c in gru.meta["legacy"] if c.changes_number]
    assert changed and "reset_after=False" in changed[0].new
    # the number it changes: 3u(n+u+1) = 3936 instead of Keras 3's 3u(n+u+2) = 4032
    assert keras_counts(era_ref)[0][0][1] == 3936 and keras_counts(k3_ref)[0][0][1] == 4032
    assert eras.number_changes(graph)[0]["layer"] == "gru"


KERAS1_THEANO = """
from keras import backend as K
K.set_image_dim_ordering('th')
from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D, ZeroPadding2D, Flatten, Dense

model = Sequential()
model.add(ZeroPadding2D((1, 1), input_shape=(3, 32, 32)))
model.add(Convolution2D(16, 3, 3, activation='relu'))
model.add(MaxPooling2D((2, 2), strides=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation='softmax'))
"""


@pytest.mark.keras
def test_keras1_theano_ordering_is_channels_first(keras):
    L = keras.layers
    cf = "channels_first"
    ref = keras.Sequential([keras.Input((3, 32, 32)), L.ZeroPadding2D((1, 1), data_format=cf),
                            L.Conv2D(16, (3, 3), activation="relu", data_format=cf),
                            L.MaxPooling2D((2, 2), strides=(2, 2), data_format=cf), L.Flatten(),
                            L.Dense(10, activation="softmax")])
    same(counts(KERAS1_THEANO), keras_counts(ref))
    graph = load_text(KERAS1_THEANO)
    changed = eras.number_changes(graph)
    assert [c["layer"] for c in changed] == ["zero_padding2d", "conv2d", "max_pooling2d"]
    assert "line 3" in graph.extras["era"]["reason"]


@pytest.mark.keras
def test_dim_ordering_th_per_layer(keras):
    text = ("from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
            "model = Sequential()\nmodel.add(Convolution2D(8, 5, 5, dim_ordering='th', input_shape=(1, 28, 28)))\n")
    ref = keras.Sequential([keras.Input((1, 28, 28)), keras.layers.Conv2D(8, (5, 5), data_format="channels_first")])
    same(counts(text), keras_counts(ref))


# --- reporting and migration -----------------------------------------------------------------


def test_summary_lines_and_json_era():
    from archcalc.render.json_ import to_dict

    graph = load_text(KERAS1_THEANO, path="old.py")
    lines = eras.summary_lines(graph)
    assert lines[0].startswith("Read as Keras 1 code")
    assert any("old.py:9:" in line and "conv2d" in line for line in lines)
    data = to_dict(analyze(load_text(KERAS1_THEANO, path="old.py")))
    assert data["era"]["era"] == "keras1"
    assert {c["line"] for c in data["era"]["number_changes"]} == {8, 9, 10}
    # Keras 3 code: no line, and the era object says keras3 with no changes
    k3 = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
    assert eras.summary_lines(load_text(k3)) == []
    assert to_dict(analyze(load_text(k3)))["era"] == {"era": "keras3", "reason": legacy.detect_era(
        ast.parse(k3), k3)[1], "number_changes": []}


def test_cli_era_option(tmp_path, run_cli):
    p = tmp_path / "old.py"
    p.write_text(KERAS2_STANDALONE)
    r = run_cli("summary", str(p))
    assert r.exit_code == 0 and "Read as Keras 2 code" in r.output
    r3 = run_cli("summary", str(p), "--era", "keras3")
    assert r3.exit_code == 0 and "(None, 10, 10, 16)" in r3.output
    bad = run_cli("summary", str(p), "--era", "keras4")
    assert bad.exit_code == 2


@pytest.mark.keras
# KERAS2_STANDALONE is not here: its compile(optimizer=SGD(lr=...)) needs the interpreter to call
# legacy.translate_config (see the report); its layers convert like the others
@pytest.mark.parametrize("program", [KERAS1_MNIST, KERAS1_IMDB, KERAS1_THEANO, KERAS1_FUNCTIONAL, KERAS2_TF])
def test_convert_and_emit_write_keras3_that_builds_with_the_same_numbers(program, keras, tmp_path):
    from archcalc.keras_bridge.codegen import generate
    from archcalc.readers.to_yaml import to_yaml
    from archcalc.readers.yaml_spec import load as load_yaml

    graph = load_text(program)
    expect = counts(program)
    spec = tmp_path / "model.yaml"
    spec.write_text(to_yaml(graph))
    a = analyze(load_yaml(spec))
    assert [int(r.params) for r in a.rows if not r.node.is_input] == [t + n for _, _, t, n in expect[0]]
    code = generate(graph)
    keras.backend.clear_session(free_memory=False)
    namespace: dict = {}
    exec(compile(code, "emitted.py", "exec"), namespace)
    same(expect, keras_counts(namespace["model"]))


KERAS3_CONV_THREE_INTS = """
import keras
from keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 5, 5), layers.Flatten(), layers.Dense(10)])
"""


@pytest.mark.keras
def test_a_keras3_file_writing_conv2d_with_three_ints_is_read_as_keras3_with_a_note(keras):
    # Keras 3 reads Conv2D(8, 5, 5) as kernel 5, strides 5; Keras 1 and standalone Keras 2 as a
    # 5x5 kernel: the number is Keras 3's, and the note says what was assumed and how to change it
    graph = load_text(KERAS3_CONV_THREE_INTS, "model.py")
    result = analyze(graph)
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 5, 5), keras.layers.Flatten(),
                              keras.layers.Dense(10)])
    assert result.total_params == model.count_params()
    assert result.output_shapes == [tuple(model.outputs[0].shape)]
    assert result.rows[1].output_shape == tuple(model.layers[0].output.shape) == (None, 5, 5, 8)
    notes = graph.extras.get("notes", [])
    assert any("Conv2D(8, 5, 5)" in n and "strides=5" in n and "--era keras2" in n for n in notes)
    # the same call in a standalone Keras 2 file is the kernel (5, 5): no note, another number
    k2 = load_text(KERAS3_CONV_THREE_INTS.replace("from keras import layers",
                                                  "from keras.layers.convolutional import Conv2D\nfrom keras import layers"),
                   "model.py")
    assert not any("Conv2D(8, 5, 5) is read as Keras 3" in n for n in k2.extras.get("notes", []))
    k2_keras = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, (5, 5))])
    assert analyze(k2).rows[1].output_shape == tuple(k2_keras.outputs[0].shape)
