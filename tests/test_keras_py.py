"""The Keras Python front-end: model code read statically, never run.

The course notes' snippets (samples/*.py) are checked against the notes' own numbers;
tutorial-style snippets are run with real Keras in the test (marked `keras`) and compared
with what archcalc reads from the same text.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.errors import SpecError
from archcalc.readers import load
from archcalc.readers.python import load_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def read(text: str, **kw):
    return load_text(textwrap.dedent(text), "model.py", **kw)


# --- the course notes' snippets ------------------------------------------------------------

NOTES = {
    # file: (total params, output shape) -- from the notes' formulas
    "ann_64_64_10.py": (64 * 64 + 64 + 64 * 10 + 10, (None, 10)),
    "sequential_8_10_1.py": (8 * 10 + 10 + 10 + 1, (None, 1)),
    "cnn.py": ((3 * 3 * 3 + 1) * 32 + (31 * 31 * 32 + 1) * 128 + (128 + 1) * 10, (None, 10)),
    "simple_rnn.py": (4_800, (None, 64)),
    "lstm.py": (19_200, (None, 64)),
    "bidirectional_lstm.py": (38_400, (None, 128)),
    "sentiment.py": (100 * 16 + 4 * 32 * (16 + 32 + 1) + 33, (None, 1)),
    "autoencoder.py": (784 * 32 + 32 + 32 * 784 + 784, (None, 784)),
}


@pytest.mark.parametrize("name", list(NOTES))
def test_notes_snippets(name):
    total, shape = NOTES[name]
    result = analyze(load(SAMPLES / name))
    assert result.total_params == total
    assert result.output_shapes == [shape]


def test_every_python_sample_reads():
    for path in sorted(SAMPLES.glob("*.py")):
        assert analyze(load(path)).total_params > 0, path.name


def test_notes_unet_and_resnet_match_their_yaml_samples():
    for py, yml in (("unet.py", "unet.yaml"), ("resnet_block.py", "resnet_blocks.yaml")):
        a, b = analyze(load(SAMPLES / py)), analyze(load(SAMPLES / yml))
        assert (a.total_params, a.trainable_params, a.output_shapes) == (b.total_params, b.trainable_params, b.output_shapes)


def test_sequential_flag_compile_and_locations():
    g = load(SAMPLES / "sequential_8_10_1.py")
    assert g.sequential
    assert g.compile == {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}
    text = (SAMPLES / "sequential_8_10_1.py").read_text().splitlines()
    assert "model.compile(" in text[g.compile_loc.line - 1]
    dense_lines = [n.loc.line for n in g.nodes.values() if not n.is_input]
    assert [text[i - 1].strip()[:20] for i in dense_lines] == ["model.add(Dense(10, ", "model.add(Dense(1, a"]
    assert g.nodes["dense"].loc.column == len("model.add(") + 1


def test_layer_location_inside_a_user_function():
    g = load(SAMPLES / "resnet_block.py")
    lines = (SAMPLES / "resnet_block.py").read_text().splitlines()
    assert lines[g.nodes["batch_normalization"].loc.line - 1].strip() == "x = BatchNormalization()(x)"


def test_compile_with_optimizer_and_loss_objects():
    g = read("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(20,))
        outputs = layers.Dense(3)(inputs)
        model = keras.Model(inputs, outputs)
        model.compile(keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy", keras.metrics.AUC(name="auc")])
        """)
    assert g.compile == {
        "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}},
        "loss": {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}},
        "metrics": ["accuracy", {"class_name": "AUC", "config": {"name": "auc"}}],
    }
    assert g.compile_loc.line == 7


def test_tensorflow_keras_imports_aliases_loops_and_ifs():
    g = read("""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers as L

        (x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
        x_train = x_train / 255.0
        filters = [16, 32]
        USE_DROPOUT = True

        def conv_block(x, f, *, pool=True):
            x = L.Conv2D(f, 3, padding="same", activation="relu")(x)
            if pool:
                x = L.MaxPooling2D()(x)
            return x

        inp = tf.keras.Input((28, 28, 1))
        x = inp
        for i, f in enumerate(filters):
            x = conv_block(x, f, pool=i < 1)
        x = L.Flatten()(x)
        if USE_DROPOUT:
            x = L.Dropout(0.5)(x)
        out = L.Dense(10, activation="softmax", name=f"head_{len(filters)}")(x)
        net = tf.keras.Model(inputs=inp, outputs=out)
        net.fit(x_train, y_train, epochs=3)
        print(net.summary())
        np.save("weights.npy", np.zeros(3))
        """)
    result = analyze(g)
    assert result.output_shapes == [(None, 10)]
    assert "head_2" in g.nodes and "dropout" in g.nodes
    assert result.by_name["conv2d_1"].output_shape == (None, 14, 14, 32)


def test_last_model_wins_and_model_option():
    text = """
        from keras import Sequential, Input
        from keras.layers import Dense
        small = Sequential([Input((4,)), Dense(2)])
        big = Sequential([Input((4,)), Dense(50), Dense(2)])
        """
    assert analyze(read(text)).total_params == 4 * 50 + 50 + 50 * 2 + 2
    assert analyze(read(text, model_name="small")).total_params == 10
    with pytest.raises(SpecError) as e:
        read(text, model_name="medium")
    assert "small, big" in e.value.hint


def test_nested_model_used_twice_shares_weights():
    g = read("""
        import keras
        from keras import layers
        encoder = keras.Sequential([layers.Dense(8), layers.Dense(4)], name="encoder")
        a = keras.Input((16,))
        b = keras.Input((16,))
        d = layers.subtract([encoder(a), encoder(b)])
        model = keras.Model([a, b], layers.Dense(1)(d))
        """)
    result = analyze(g)
    assert result.total_params == (16 * 8 + 8) + (8 * 4 + 4) + 5


# --- clear errors for what is outside the subset ---------------------------------------------

ERRORS = [
    ("""
     import json
     import keras
     cfg = json.load(open("cfg.json"))
     model = keras.Sequential([keras.Input((4,))])
     for i in range(cfg["depth"]):
         model.add(keras.layers.Dense(8))
     """, 6, "number of layers depends on a loop over"),
    ("""
     import sys
     import keras
     inp = keras.Input((8,))
     if sys.argv[1] == "wide":
         out = keras.layers.Dense(64)(inp)
     else:
         out = keras.layers.Conv1D(4, 3)(keras.layers.Reshape((8, 1))(inp))
     model = keras.Model(inp, out)
     """, 5, "condition that is not known"),
    ("""
     from keras.layers import Dense
     from keras.models import Sequential
     model = Sequential([Dens(3, input_shape=(4,))])
     """, 4, "did you mean Dense"),
    ("""
     import keras
     class Net(keras.layers.Layer):
         def call(self, x):
             return foo(x)
     inp = keras.Input((4,))
     model = keras.Model(inp, Net()(inp))
     """, 7, "compute_output_shape"),
    ("""
     import keras
     model = keras.models.load_model("model.keras")
     """, 3, "the saved model file"),
]


@pytest.mark.parametrize("text,line,needle", ERRORS, ids=["loop-count", "branches", "typo", "untraceable-layer",
                                                          "applications"])
def test_what_blocks_the_model_names_the_line(text, line, needle):
    with pytest.raises(SpecError) as e:
        read(text)
    assert e.value.loc.line == line, e.value.format()
    assert needle in e.value.format()


def test_cli_error_exit_code(tmp_path, run_cli):
    path = tmp_path / "bad.py"
    path.write_text("import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
                    "for i in range(n_blocks):\n    model.add(keras.layers.Dense(2))\n")
    r = run_cli("summary", str(path))
    assert r.exit_code == 2
    assert f"{path}:3:" in r.output and "n_blocks" in r.output and "Traceback" not in r.output


# --- hostile code does nothing ----------------------------------------------------------------


def test_code_is_never_executed(tmp_path, run_cli):
    marker = tmp_path / "pwned"
    written = tmp_path / "written.txt"
    path = tmp_path / "evil.py"
    path.write_text(textwrap.dedent(f"""
        import os
        import subprocess
        __import__("os").system("touch {marker}")
        os.system("touch {marker}")
        subprocess.run(["touch", "{marker}"])
        open("{written}", "w").write("x")
        exec("open('{written}', 'w').write('x')")
        eval("__import__('os').system('touch {marker}')")
        from keras import Sequential, Input
        from keras.layers import Dense
        model = Sequential([Input((3,)), Dense(2)])
        """))
    r = run_cli("summary", str(path))
    assert r.exit_code == 0, r.output
    assert not marker.exists() and not written.exists()


def test_endless_and_huge_code_is_bounded():
    # a loop of 10**9 adds: stopped by the step limit or the 50,000-layer cap, whichever comes first
    with pytest.raises(SpecError, match="too many steps|too long|more than 50000 layers"):
        read("""
            from keras import Sequential, Input
            from keras.layers import Dense
            model = Sequential([Input((3,))])
            for i in range(10**9):
                model.add(Dense(2))
            """)
    with pytest.raises(SpecError, match="too long|too large"):
        read("x = [0] * 10**12\n")
    with pytest.raises(SpecError):
        read("x = " + "(" * 100_000 + ")" * 100_000 + "\n")


# --- tutorial-style snippets, run with real Keras ---------------------------------------------

SNIPPETS = {
    "sequential_input_shape": """
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ])
    """,
    "functional_helpers_loop": """
        import keras
        from keras import layers
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(16, 3, padding="same")(inputs)
        for filters in (16, 32):
            y = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            y = layers.BatchNormalization()(y)
            if filters != 16:  # project the skip path when the width changes
                x = layers.Conv2D(filters, 1)(x)
            x = layers.add([x, y])
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(5)(x)
        model = keras.Model(inputs, outputs)
    """,
    "multi_input_dict_outputs": """
        import keras
        from keras import layers
        title = keras.Input(shape=(None,), name="title")
        body = keras.Input(shape=(None,), name="body")
        tags = keras.Input(shape=(12,), name="tags")
        emb = layers.Embedding(1000, 32)
        t = layers.LSTM(16)(emb(title))
        b = layers.LSTM(8)(emb(body))
        x = layers.concatenate([t, b, tags])
        priority = layers.Dense(1, name="priority")(x)
        department = layers.Dense(4, activation="softmax", name="department")(x)
        model = keras.Model(inputs=[title, body, tags],
                            outputs={"priority": priority, "department": department})
    """,
    "embedding_bidirectional_lstm": """
        from keras.models import Sequential
        from keras.layers import Embedding, Bidirectional, LSTM, Dense, Input
        max_features = 20000
        model = Sequential()
        model.add(Input(shape=(None,), dtype="int32"))
        model.add(Embedding(max_features, 128))
        model.add(Bidirectional(LSTM(64, return_sequences=True)))
        model.add(Bidirectional(LSTM(64)))
        model.add(Dense(1, activation="sigmoid"))
    """,
    "conv1d_text": """
        import keras
        from keras import layers
        vocab_size, embed_dim, maxlen = 5000, 64, 200
        inputs = keras.Input(shape=(maxlen,), dtype="int64")
        x = layers.Embedding(vocab_size, embed_dim)(inputs)
        x = layers.Dropout(0.5)(x)
        x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
        x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
        x = layers.GlobalMaxPooling1D()(x)
        x = layers.Dense(128, activation="relu")(x)
        predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
        model = keras.Model(inputs, predictions)
    """,
    "conv2d_transpose_decoder": """
        import keras
        from keras import layers
        latent_dim = 2
        latent_inputs = keras.Input(shape=(latent_dim,))
        x = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
        x = layers.Reshape((7, 7, 64))(x)
        x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
        x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
        decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
        decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")
    """,
    "user_function_blocks": """
        import keras
        from keras import layers

        def dense_block(x, units, dropout=0.1):
            x = layers.Dense(units)(x)
            x = layers.LayerNormalization()(x)
            x = layers.Activation("gelu")(x)
            return layers.Dropout(dropout)(x)

        inp = keras.Input((64,))
        x = inp
        for units in [128, 64, 32]:
            x = dense_block(x, units)
        model = keras.Model(inp, layers.Dense(3, activation="softmax")(x))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    """,
    "nested_sequential_and_frozen_backbone": """
        import keras
        from keras import layers
        backbone = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.GlobalAveragePooling2D(),
        ], name="backbone")
        backbone.trainable = False
        inputs = keras.Input((32, 32, 3))
        x = backbone(inputs)
        outputs = layers.Dense(2)(x)
        model = keras.Model(inputs, outputs)
    """,
    "gru_timedistributed": """
        from keras import Sequential, Input
        from keras.layers import GRU, TimeDistributed, Dense, SimpleRNN
        model = Sequential([
            Input((20, 8)),
            GRU(32, return_sequences=True),
            SimpleRNN(16, return_sequences=True),
            TimeDistributed(Dense(4)),
        ])
    """,
    "shared_layer_siamese": """
        import keras
        from keras import layers
        a = keras.Input((10,))
        b = keras.Input((10,))
        shared = layers.Dense(16, activation="relu")
        merged = layers.concatenate([shared(a), shared(b)], axis=-1)
        model = keras.Model([a, b], layers.Dense(1)(merged))
    """,
    "build_and_depthwise": """
        import keras
        from keras import layers
        model = keras.Sequential()
        model.add(layers.DepthwiseConv2D(3, padding="same"))
        model.add(layers.SeparableConv2D(16, 3, strides=2))
        model.add(layers.GlobalAveragePooling2D())
        model.build((None, 24, 24, 8))
    """,
    "return_state_and_merge_mode_none": """
        import keras
        from keras import layers
        inp = keras.Input((None, 10))
        out, h, c = layers.LSTM(32, return_state=True, name="enc")(inp)
        d = layers.Dense(8, name="from_h")(h)
        both = layers.Concatenate(name="both")([out, d, c])
        pair = layers.Bidirectional(layers.GRU(4, return_sequences=True), merge_mode=None)(inp)
        fw = layers.GlobalMaxPooling1D(name="fw")(pair[0])
        model = keras.Model(inp, [both, h, fw])
    """,
}


def _keras_model(text: str):
    """Run the snippet (our own test text) with real Keras; the last model assigned."""
    import keras

    keras.backend.clear_session()  # fresh automatic names (dense, dense_1, ...) as in a new script
    ns: dict = {}
    exec(compile(textwrap.dedent(text), "<snippet>", "exec"), ns)  # noqa: S102  (test-owned snippet)
    models = [v for v in ns.values() if isinstance(v, keras.Model)]
    return models[-1]


def _shape(t):
    if isinstance(t, (list, tuple)):  # a layer with several outputs
        return [_shape(x) for x in t]
    return tuple(None if d is None else int(d) for d in t.shape)


@pytest.mark.keras
@pytest.mark.parametrize("name", list(SNIPPETS))
def test_tutorial_snippet_matches_keras(name):
    pytest.importorskip("keras")
    text = SNIPPETS[name]
    model = _keras_model(text)
    result = analyze(read(text))
    assert result.total_params == model.count_params()
    assert result.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)
    outs = model.outputs  # (model.output fails on a Sequential built from input_shape=)
    # a dict of outputs too: Keras 3 flattens it in sorted key order, and so does archcalc
    assert result.output_shapes == [_shape(t) for t in outs]
    # every layer Keras names is a node of the same name, with the same output shape
    for layer in model.layers:
        if layer.__class__.__name__ == "InputLayer" or layer.name not in result.by_name:
            continue
        row = result.by_name[layer.name]
        assert row.output_shape == _shape(layer.output), layer.name


# --- issue 23: which model, values set on objects archcalc does not read ------------------------


@pytest.mark.keras
def test_the_model_trained_last_is_read_and_the_choice_is_said():
    pytest.importorskip("keras")
    import keras

    text = """
        from tensorflow import keras
        from tensorflow.keras import layers
        trained = keras.Sequential([keras.Input((10,)), layers.Dense(5)])
        trained.compile("adam", "mse")
        trained.fit(x, y)
        later = keras.Sequential([keras.Input((10,)), layers.Dense(7), layers.Dense(3)])
        """
    keras.backend.clear_session()
    want = keras.Sequential([keras.Input((10,)), keras.layers.Dense(5)])
    g = read(text)
    assert analyze(g).total_params == want.count_params()
    assert g.extras["variable"] == "trained"
    note = next(n for n in g.extras["notes"] if n.startswith("of the 2 models"))
    assert "`trained`" in note and "trains last (trained.fit, line 6)" in note


@pytest.mark.keras
def test_attributes_set_on_tracking_configs_and_modules_are_read(monkeypatch):
    pytest.importorskip("keras")
    import sys
    import types

    text = """
        import tensorflow as tf
        import wandb
        config = wandb.config
        config.hidden = 24
        config.look_back = 6
        tf.model = tf.keras.Sequential()
        tf.model.add(tf.keras.layers.Flatten(input_shape=(config.look_back, 2)))
        tf.model.add(tf.keras.layers.Dense(config.hidden))
        tf.model.add(tf.keras.layers.Dense(1))
        tf.model.compile(loss="mse", optimizer="sgd")
        """
    # the program's tracking library, for the real run only (archcalc never imports it)
    monkeypatch.setitem(sys.modules, "wandb", types.SimpleNamespace(config=types.SimpleNamespace()))
    import keras

    keras.backend.clear_session()
    ns: dict = {}
    exec(compile(textwrap.dedent(text), "<snippet>", "exec"), ns)  # noqa: S102  (test-owned snippet)
    model = ns["tf"].model
    result = analyze(read(text))
    assert result.total_params == model.count_params()
    assert result.output_shapes == [_shape(model.outputs[0])]


def test_an_unread_value_of_a_tracking_library_is_a_named_size_not_a_string():
    result = analyze(read("""
        import wandb
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Flatten
        config = wandb.config
        model = Sequential([Flatten(input_shape=(config.look_back, 1)), Dense(1)])
        """))
    assert str(result.total_params) == "wandb.config.look_back + 1"


def test_a_failing_model_is_listed_with_its_reason_and_the_others_still_read(tmp_path, run_cli):
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent("""
        from tensorflow import keras
        from tensorflow.keras import layers
        first = keras.Sequential([keras.Input((16,)), layers.TFSMLayer("exported", call_endpoint="serve")])
        first.fit(a, b)
        final = keras.Sequential([keras.Input((20,)), layers.Dense(3)])
        final.fit(c, d)
        """))
    r = run_cli("summary", str(path), "--list-models")
    assert r.output.splitlines() == [
        "first (not read: line 4: TFSMLayer loads a TensorFlow SavedModel from disk, which archcalc does not read)",
        "final  (63 params)",  # (20 + 1) x 3
    ]
    assert analyze(load(path)).total_params == 63
    path.write_text(path.read_text().replace("final.fit(c, d)", "first.fit(c, d)"))
    with pytest.raises(SpecError, match="TFSMLayer"):  # the model trained last is the one that fails
        load(path)


@pytest.mark.keras
def test_scikit_learn_wrapper_builds_its_model_with_the_wrapper_arguments():
    pytest.importorskip("keras")
    import keras

    builder = """
        from tensorflow import keras
        def build(units=8, dropout=0.5):
            model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(units, activation="relu"),
                                      keras.layers.Dropout(dropout), keras.layers.Dense(1)])
            model.compile("adam", "binary_crossentropy")
            return model
        """
    text = builder + """
        from keras.wrappers.scikit_learn import KerasClassifier
        build = KerasClassifier(build_fn=build, units=32, epochs=10, batch_size=4)
        """
    keras.backend.clear_session()
    ns: dict = {}
    exec(compile(textwrap.dedent(builder), "<snippet>", "exec"), ns)  # noqa: S102  (test-owned snippet)
    want = ns["build"](units=32)  # what the wrapper calls: the builder with the arguments it takes
    assert analyze(read(text)).total_params == want.count_params()


@pytest.mark.keras
def test_a_second_model_may_reuse_an_input_name():
    pytest.importorskip("keras")
    text = """
        from tensorflow import keras
        inputs = keras.Input(shape=(10,), name="inputs")
        train_model = keras.Model(inputs, keras.layers.Dense(4)(inputs))
        inputs = keras.Input(shape=(10,), name="inputs")
        infer = keras.Model(inputs, keras.layers.Dense(6)(inputs))
        """
    model = _keras_model(text)  # Keras builds both; the last one assigned is the one read
    g = read(text)
    assert analyze(g).total_params == model.count_params()
    assert any("two layers are named 'inputs'" in n for n in g.extras["notes"])
    with pytest.raises(SpecError, match="already used"):  # in one model Keras refuses it, as archcalc does
        read("""
            from tensorflow import keras
            inp = keras.Input((4,))
            a = keras.layers.Dense(3, name="conv6")(inp)
            model = keras.Model(inp, keras.layers.Dense(3, name="conv6")(a))
            """)


def test_os_path_exists_and_os_environ_as_the_program_finds_them(tmp_path):
    text = textwrap.dedent("""
        import os
        from tensorflow import keras
        os.environ["KERAS_BACKEND"] = "tensorflow"
        width = 3 if os.environ["KERAS_BACKEND"] == "tensorflow" else 9
        if os.path.exists("model.h5"):
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
        else:
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(width)])
        """)
    path = tmp_path / "prog.py"
    path.write_text(text)
    assert analyze(load(path)).output_shapes == [(None, 3)]  # a first run: model.h5 is not there yet
    (tmp_path / "model.h5").write_bytes(b"")
    g = load(path)
    assert analyze(g).output_shapes == [(None, 5)]
    assert any("os.path.exists('model.h5') is True" in n for n in g.extras["notes"])


@pytest.mark.keras
def test_sizes_from_data_file_headers_next_to_the_program(tmp_path, monkeypatch):
    """Issue 23 item 5: a CSV's columns (and the ones the program drops or selects), an .npy's
    and an .npz's shapes, read from their headers only; Keras, given the sizes those files
    hold, builds the same models (pandas is not needed to know them: the test writes the files)."""
    pytest.importorskip("keras")
    import keras
    import numpy as np

    np.save(tmp_path / "x.npy", np.zeros((50, 17, 3), dtype="float32"))
    np.savez(tmp_path / "d.npz", x_train=np.zeros((40, 8)), y_train=np.zeros((40,)))
    (tmp_path / "train.csv").write_text("id,age,income,score,city,label\n1,2,3,4,5,0\n2,3,4,5,6,1\n")
    text = textwrap.dedent("""
        import numpy as np
        import pandas as pd
        from tensorflow import keras
        df = pd.read_csv("train.csv")
        X = df.drop(["id", "label"], axis=1).values
        d = np.load("d.npz")
        xs = np.load("x.npy")
        tab = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(4)])
        seq = keras.Sequential([keras.Input(xs.shape[1:]), keras.layers.LSTM(5)])
        arr = keras.Sequential([keras.Input((d["x_train"].shape[1],)), keras.layers.Dense(2)])
        cols = keras.Sequential([keras.Input((df.iloc[:, 1:-1].shape[1],)), keras.layers.Dense(3)])
        sel = keras.Sequential([keras.Input((df[["age", "score"]].values.shape[1],)), keras.layers.Dense(3)])
        """)
    path = tmp_path / "prog.py"
    path.write_text(text)
    keras.backend.clear_session()
    # the sizes the files hold: 6 CSV columns less id and label; (50, 17, 3); x_train (40, 8);
    # columns 1 to the one before last; two columns selected
    truth = {
        "tab": keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)]),
        "seq": keras.Sequential([keras.Input((17, 3)), keras.layers.LSTM(5)]),
        "arr": keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)]),
        "cols": keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)]),
        "sel": keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)]),
    }
    monkeypatch.chdir(ROOT)  # archcalc finds the files next to the program, not in the working folder
    for name, model in truth.items():
        result = analyze(load(path, model_name=name))
        assert result.total_params == model.count_params(), name
        assert result.output_shapes == [_shape(model.outputs[0])], name
    (tmp_path / "train.csv").unlink()  # not at hand: a named size, as before
    assert "len(" not in str(analyze(load(path, model_name="tab")).total_params)
    assert analyze(load(path, model_name="tab")).total_params != truth["tab"].count_params()


@pytest.mark.keras
def test_sizes_from_a_numpy_text_table_next_to_the_program(tmp_path, monkeypatch):
    # np.loadtxt / np.genfromtxt: the width of the first data line (a header skipped, comments
    # and whitespace-separated values as NumPy reads them); the rows are not read

    (tmp_path / "diabetes.csv").write_text("# a comment\n-0.29,0.49,0.18,-0.29,0,0.001,-0.53,-0.03,0\n" * 3)
    (tmp_path / "table.txt").write_text("a b c d\n1 2 3 4\n5 6 7 8\n")
    text = textwrap.dedent("""
        import numpy as np
        from tensorflow import keras
        xy = np.loadtxt("diabetes.csv", delimiter=",", dtype=np.float32)
        x_data = xy[:, 0:-1]
        t = np.genfromtxt("table.txt", skip_header=1)
        a = keras.Sequential([keras.Input((x_data.shape[1],)), keras.layers.Dense(1, activation="sigmoid")])
        b = keras.Sequential([keras.Input((t.shape[1],)), keras.layers.Dense(2)])
        """)
    path = tmp_path / "prog.py"
    path.write_text(text)
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    exec(compile(text, "prog.py", "exec"), ns)  # noqa: S102  (the test's own program, run for Keras's truth)
    monkeypatch.chdir(ROOT)
    for name in ("a", "b"):
        result = analyze(load(path, model_name=name))
        assert result.total_params == ns[name].count_params(), name
        assert result.output_shapes == [_shape(ns[name].outputs[0])], name


@pytest.mark.keras
def test_keras2_defaults_keras3_dropped_average_pool_size_and_batch_input_shape():
    pytest.importorskip("keras")
    import keras
    from keras import layers

    g = read("""
        from keras.models import Sequential
        from keras.layers import AveragePooling2D, Conv2D, Dense, Flatten, LSTM
        from keras.optimizers import Adam
        model = Sequential()
        model.add(Conv2D(4, (3, 3), input_shape=(20, 20, 3)))
        model.add(AveragePooling2D())
        model.add(Flatten())
        model.add(Dense(2))
        model.compile(optimizer=Adam(lr=0.01), loss="mse")
        """)
    keras.backend.clear_session()
    want = keras.Sequential([keras.Input((20, 20, 3)), layers.Conv2D(4, (3, 3)),
                             layers.AveragePooling2D(pool_size=(2, 2)),  # Keras 2's default
                             layers.Flatten(), layers.Dense(2)])
    result = analyze(g)
    assert (result.total_params, result.output_shapes) == (want.count_params(), [_shape(want.outputs[0])])
    g = read("""
        from keras.models import Sequential
        from keras.layers import LSTM, Dense
        model = Sequential()
        model.add(LSTM(20, batch_input_shape=(16, 12, 2), return_sequences=True, stateful=True))
        model.add(Dense(1))
        """)
    want = keras.Sequential([keras.Input((12, 2), batch_size=16), layers.LSTM(20, return_sequences=True, stateful=True),
                             layers.Dense(1)])
    result = analyze(g)
    assert (result.total_params, result.output_shapes) == (want.count_params(), [_shape(want.outputs[0])])


GAN_CLASS = """
    from tensorflow import keras
    from tensorflow.keras import layers
    class GAN:
        def __init__(self):
            self.discriminator = keras.Sequential([keras.Input((4,)), layers.Dense(8), layers.Dense(1)])
            self.discriminator.compile("adam", "mse")
            self.generator = keras.Sequential([keras.Input((2,)), layers.Dense(4)])
            z = keras.Input((2,))
            self.discriminator.trainable = False
            self.combined = keras.Model(z, self.discriminator(self.generator(z)))
            self.combined.compile("adam", "mse")
        def train(self, steps):
            for step in range(steps):
                self.discriminator.train_on_batch(real, ones)
                self.combined.train_on_batch(noise, ones)
    gan = GAN()
    """


@pytest.mark.keras
def test_a_training_loop_the_reader_skips_still_says_which_model_is_trained():
    """A GAN class: the models are attributes of a plain class, and trained in a loop over
    10,000 steps that the reader does not run; the model trained last is the combined one."""
    pytest.importorskip("keras")
    import keras

    keras.backend.clear_session()
    ns: dict = {}
    exec(compile(textwrap.dedent(GAN_CLASS), "<snippet>", "exec"), ns)  # noqa: S102  (test-owned snippet)
    want = ns["gan"].combined
    g = read(GAN_CLASS.rstrip(" ") + "    gan.train(10000)\n")
    result = analyze(g)
    assert (result.total_params, result.trainable_params) == (
        want.count_params(), sum(math.prod(w.shape) for w in want.trainable_weights))
    assert g.extras["variable"] == "GAN.combined"


@pytest.mark.keras
def test_a_sequential_of_the_files_own_layers_inside_a_subclassed_model():
    pytest.importorskip("keras")
    text = """
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        class Block(layers.Layer):
            def __init__(self, filters):
                super().__init__()
                self.conv = layers.Conv2D(filters, 3, padding="same")
                self.bn = layers.BatchNormalization()
            def call(self, x):
                return tf.nn.relu(self.bn(self.conv(x)))
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.stem = layers.Conv2D(8, 3)
                self.blocks = keras.Sequential(name="dynamic-blocks")
                for f in (8, 16):
                    self.blocks.add(Block(f))
                self.pool = layers.GlobalAveragePooling2D()
                self.fc = layers.Dense(3)
            def call(self, x):
                return self.fc(self.pool(self.blocks(self.stem(x))))
        model = Net()
        _ = model(tf.zeros((2, 16, 16, 1)))  # how a subclassed model gets built: called on data
        """
    model = _keras_model(text)
    result = analyze(read(text))
    assert result.total_params == model.count_params()
    assert result.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)


def test_build_with_a_size_from_elsewhere_is_a_named_size(run_cli, tmp_path):
    text = """
        import gym
        import tensorflow as tf
        env = gym.make("CartPole-v1")
        model = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)])
        model.build(input_shape=(None, env.observation_space.shape[0]))
        """
    result = analyze(read(text))
    assert {str(s) for s in result.total_params.free_symbols} == {"env.observation_space.shape[0]"}
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(text))
    out = run_cli("summary", str(path), "--format", "json").output
    assert "Traceback" not in out and "Unknown" not in out


def test_a_model_a_failing_statement_changed_half_way_reports_that_error():
    """Fault isolation never hides a failure inside the model that is read: a function that
    adds layers to it and fails half-way leaves the model broken, not shorter."""
    with pytest.raises(SpecError, match="unknown layer type 'Frobnicate'") as e:
        read("""
            from tensorflow import keras
            from tensorflow.keras import layers
            def add_head(m):
                m.add(layers.Dense(8))
                m.add(layers.Frobnicate(2))
            model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])
            add_head(model)
            model.compile("adam", "mse")
            """)
    assert e.value.loc is not None and e.value.loc.line == 6


@pytest.mark.keras
def test_modules_found_through_sys_path_append(tmp_path):
    """A book's chapters share a lib folder one level up: sys.path.append('..') then
    `from lib import nets` (read statically, like a sibling module)."""
    pytest.importorskip("keras")
    import importlib.util

    import keras

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "nets.py").write_text(textwrap.dedent("""
        from tensorflow import keras
        def build(width=16):
            inp = keras.Input((6,))
            return keras.Model(inp, keras.layers.Dense(2)(keras.layers.Dense(width)(inp)), name="net")
        """))
    (tmp_path / "chapter").mkdir()
    prog = tmp_path / "chapter" / "train.py"
    prog.write_text(textwrap.dedent("""
        import sys
        sys.path.append("..")
        from lib import nets
        model = nets.build(width=24)
        """))
    spec = importlib.util.spec_from_file_location("nets_under_test", tmp_path / "lib" / "nets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # test-owned helper module
    keras.backend.clear_session()
    assert analyze(load(prog)).total_params == module.build(width=24).count_params()


def test_every_named_input_size_printed_can_be_pinned_with_set():
    text = """
        from keras.models import Sequential
        from keras.layers import Dense, Embedding, LSTM
        model = Sequential()
        model.add(Embedding(1000, 8))
        model.add(LSTM(4))
        model.add(Dense(1))
        model.fit(X_train, y_train)
        """
    shapes = analyze(read(text)).rows[0].output_shape
    assert str(shapes[1]) == "sequential.input[1]"
    pinned = analyze(read(text, overrides={"sequential.input[1]": 500}))
    assert pinned.rows[0].output_shape == (None, 500)


@pytest.mark.keras
def test_a_failing_model_built_from_the_trained_ones_layers_leaves_it_readable():
    """An inspection model built after training from the trained model's input and layers (a
    notebook's visualisation cell) may fail to read; the trained model is still read, and a
    helper that only reads it (plot_attention(model)) does not break it either."""
    pytest.importorskip("keras")
    head = """
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input((8,)), layers.Dense(6), layers.Dense(2)])
        """
    text = head + """
        model.compile("adam", "mse")
        model.fit(x, y)
        def inspect(m):
            return keras.Model(m.input, layers.TFSMLayer("exported", call_endpoint="serve")(m.output))
        probe = inspect(model)
        vis = keras.Model(inputs=model.input, outputs=layers.TFSMLayer("x", call_endpoint="serve")(model.output))
        """
    want = _keras_model(head)
    g = read(text)
    assert analyze(g).total_params == want.count_params()
    assert g.extras["variable"] == "model"


# --- an RNN cell run step by step over tf.unstack (issue 24) ------------------------------------------


def _flat_shapes(out):
    """A call's outputs as one flat list of shapes (a cell's (output, [h, c]) in order)."""
    if isinstance(out, (list, tuple)):
        return [s for x in out for s in _flat_shapes(x)]
    return [tuple(None if d is None else int(d) for d in out.shape)]


#: an LSTMCell and a GRUCell stepped over ops.unstack (their states a list, then one tensor)
STEPPED_CELLS = """
        import keras
        from keras import layers, ops
        inp = keras.Input((6, 3))
        h0 = keras.Input((4,))
        c0 = keras.Input((4,))
        cell = layers.LSTMCell(4)
        state = [h0, c0]
        for x_t in ops.unstack(inp, axis=1):
            out, state = cell(x_t, state)
        gru = layers.GRUCell(5)
        s = layers.Dense(5)(h0)
        for x_t in ops.unstack(inp, axis=1):
            y, s = gru(x_t, s)
        model = keras.Model([inp, h0, c0], layers.Concatenate()([out, y, state[1]]))
        """

#: a subclassed model whose cell starts from a constant it makes itself (tf.zeros)
CONSTANT_STATE_MODEL = """
    import tensorflow as tf
    from tensorflow import keras
    from tensorflow.keras import layers
    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.cell = layers.GRUCell(4)
        def call(self, x):
            state = [tf.zeros([8, 4])]
            for x_t in tf.unstack(x, axis=1):
                out, state = self.cell(x_t, state)
            return out
    model = M()
    model.build((8, 5, 3))
    """


@pytest.mark.keras
def test_cells_run_step_by_step_over_unstack_count_their_weights_once():
    """``for x_t in ops.unstack(x, axis=1): out, state = cell(x_t, state)``: one Unstack node
    with one output per step, one node per call of the cell, its weights counted once; the new
    states are a list when the states were given as one (LSTMCell) or one tensor (GRUCell)."""
    pytest.importorskip("keras")
    text = STEPPED_CELLS
    model = _keras_model(text)
    result = analyze(read(text))
    assert result.total_params == model.count_params()  # 128 + 25 + 150
    assert result.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)
    assert result.output_shapes == [_shape(t) for t in model.outputs]
    for layer in model.layers:
        if layer.__class__.__name__ == "InputLayer":
            continue
        row = result.by_name[layer.name]
        assert row.output_shape == (_flat_shapes(layer.output) if isinstance(layer.output, (list, tuple))
                                    else _shape(layer.output)), layer.name
    steps = [r for r in result.rows if r.type == "LSTMCell"]
    assert len(steps) == 6 and sum(r.trainable_params for r in steps) == 128
    unstack = next(op for op in model.operations if op.name == "unstack")  # Keras 3's op node
    assert result.by_name["unstack"].output_shape == _flat_shapes(unstack.output) == [(None, 3)] * 6


@pytest.mark.keras
def test_a_subclassed_model_unrolling_a_cell_over_tf_unstack_matches_keras():
    """The Keras-2-era idiom (tf.unstack over time, a cell and a fixed initial state made with
    tf.zeros in __init__) inside a subclassed model trained by fit: Keras 3 builds it on fit's
    full batches of 32 (64 samples)."""
    pytest.importorskip("keras")
    import keras
    import numpy as np

    layers_text = """
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        class Unrolled(keras.Model):
            def __init__(self):
                super().__init__()
                self.state0 = [tf.zeros([32, 8]), tf.zeros([32, 8])]
                self.embedding = layers.Embedding(100, 6)
                self.cell = layers.LSTMCell(8)
                self.head = layers.Dense(1)
            def call(self, inputs, training=None):
                x = self.embedding(inputs)
                state = self.state0
                for word in tf.unstack(x, axis=1):
                    out, state = self.cell(word, state, training=training)
                return self.head(out)
        model = Unrolled()
        """
    g = read(layers_text + """
        import numpy as np
        x_train = np.zeros((64, 12), dtype="int32")
        model.compile(optimizer="adam", loss="mse")
        model.fit(x_train, np.zeros(64), batch_size=32)
        """)
    result = analyze(g)
    model = _keras_model(layers_text)
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((64, 12), dtype="int32"), np.zeros(64), batch_size=32, epochs=1, verbose=0)
    assert result.total_params == model.count_params()  # 600 + 4*8*(6+8+1) + 9
    assert result.by_name["embedding"].output_shape == (32, 12, 6)
    steps = [r for r in result.rows if r.type == "LSTMCell"]
    out, states = model.cell(keras.ops.zeros((32, 6)), [keras.ops.zeros((32, 8))] * 2)
    assert len(steps) == 12 and steps[0].output_shape == _flat_shapes((out, states))
    assert _shape(model(np.zeros((32, 12), dtype="int32"))) == result.output_shapes[0]


@pytest.mark.keras
def test_a_subclassed_model_trained_by_fit_has_keras_3s_batch_axis():
    """Keras 3's fit builds a subclassed model on its first batch: the batch size when every
    batch is full (64 samples in 32s), None when the last is shorter (100 samples)."""
    pytest.importorskip("keras")
    import numpy as np

    head = """
        import keras
        from keras import layers
        class M(keras.Model):
            def __init__(self):
                super().__init__()
                self.d1 = layers.Dense(4)
                self.d2 = layers.Dense(1)
            def call(self, x):
                return self.d2(self.d1(x))
        model = M()
        """
    for n in (64, 100):
        model = _keras_model(head)
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.zeros((n, 5)), np.zeros(n), batch_size=32, epochs=1, verbose=0)
        result = analyze(read(textwrap.dedent(head) + textwrap.dedent(f"""
            import numpy as np
            model.compile(optimizer="adam", loss="mse")
            model.fit(np.zeros(({n}, 5)), np.zeros({n}), batch_size=32)
            """)))
        assert result.by_name["dense"].output_shape == tuple(model.d1._build_shapes_dict["input_shape"][:-1]) + (4,)
        assert result.by_name["dense_1"].output_shape == tuple(model.d2._build_shapes_dict["input_shape"][:-1]) + (1,)


def test_unstack_over_an_axis_of_unknown_size_and_a_cell_without_states_are_refused():
    """Keras refuses both: ops.unstack needs `num` or a known size (it makes a Python list),
    and a cell's call needs its states."""
    from archcalc.errors import ArchcalcError

    with pytest.raises(ArchcalcError, match=r"cannot unstack over the batch axis: its size is not known"):
        analyze(read("""
            import keras
            inp = keras.Input((6, 3))
            parts = keras.ops.unstack(inp)
            model = keras.Model(inp, parts[0])
            """))
    with pytest.raises(ArchcalcError, match="a cell computes one time step and needs its states"):
        analyze(read("""
            import keras
            inp = keras.Input((3,))
            model = keras.Model(inp, keras.layers.SimpleRNNCell(4)(inp))
            """))


# --- d2l's layer-by-layer loop before the model is built (issue 24) -----------------------------------

_D2L_LENET = """
    import tensorflow as tf
    net = tf.keras.models.Sequential([
        tf.keras.layers.Conv2D(filters=6, kernel_size=5, activation='sigmoid', padding='same'),
        tf.keras.layers.AvgPool2D(pool_size=2, strides=2),
        tf.keras.layers.Conv2D(filters=16, kernel_size=5, activation='sigmoid'),
        tf.keras.layers.AvgPool2D(pool_size=2, strides=2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(120, activation='sigmoid'),
        tf.keras.layers.Dense(84, activation='sigmoid'),
        tf.keras.layers.Dense(10)])
    X = tf.random.uniform((1, 28, 28, 1))
    shapes = []
    for layer in net.layers:
        X = layer(X)
        shapes.append(tuple(X.shape))
        print(layer.__class__.__name__, 'output shape: \\t', X.shape)
    """

_D2L_BLOCKS = """
    import tensorflow as tf
    def vgg_block(num_convs, num_channels):
        blk = tf.keras.models.Sequential()
        for _ in range(num_convs):
            blk.add(tf.keras.layers.Conv2D(num_channels, kernel_size=3, padding='same', activation='relu'))
        blk.add(tf.keras.layers.MaxPool2D(pool_size=2, strides=2))
        return blk
    net = tf.keras.models.Sequential()
    for (num_convs, num_channels) in ((1, 4), (2, 8)):
        net.add(vgg_block(num_convs, num_channels))
    net.add(tf.keras.models.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)]))
    X = tf.random.uniform((1, 32, 32, 1))
    shapes = []
    for blk in net.layers:
        X = blk(X)
        shapes.append(tuple(X.shape))
        print(blk.__class__.__name__, 'output shape:\\t', X.shape)
    """


@pytest.mark.keras
@pytest.mark.parametrize("text", [_D2L_LENET, _D2L_BLOCKS], ids=["lenet", "vgg-blocks"])
def test_layers_called_one_by_one_before_the_model_is_built_give_keras_shapes(text):
    """Dive into Deep Learning's ``for layer in net.layers: X = layer(X)`` on a (1, ...) tensor
    builds each layer (or block) on it: the model's rows are those calls' shapes, batch axis 1
    included, and its weights those the calls made (the model itself stays unbuilt)."""
    pytest.importorskip("keras")
    import keras

    keras.backend.clear_session()
    ns: dict = {}
    exec(compile(textwrap.dedent(text), "<snippet>", "exec"), ns)  # noqa: S102  (test-owned snippet)
    net, shapes = ns["net"], ns["shapes"]
    assert not net.built
    g = read(text)
    assert g.extras["variable"] == "net"
    result = analyze(g)
    rows = [r for r in result.rows if not r.node.is_input]
    assert [r.name for r in rows] == [layer.name for layer in net.layers]
    assert [r.output_shape for r in rows] == shapes
    assert [r.trainable_params for r in rows] == [sum(math.prod(w.shape) for w in layer.weights)
                                                  for layer in net.layers]
    assert result.total_params == sum(math.prod(w.shape) for w in net.weights)
    assert any("built by calling them one by one" in n for n in g.extras.get("notes", []))


@pytest.mark.keras
def test_fit_after_the_layer_loop_builds_the_model_on_its_batches():
    """After the loop, fit builds the model on its data: Keras 3's summary then shows fit's
    batch axis (64 samples in batches of 32: 32), not the loop's 1."""
    pytest.importorskip("keras")
    import keras

    keras.backend.clear_session()
    text = textwrap.dedent(_D2L_LENET) + textwrap.dedent("""
        import numpy as np
        net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        net.fit(np.zeros((64, 28, 28, 1)), np.zeros(64), epochs=1, batch_size=32)
        """)
    ns: dict = {}
    exec(compile(text.replace("net.fit(np.zeros((64, 28, 28, 1)), np.zeros(64), epochs=1, batch_size=32)",
                              "net.fit(np.zeros((64, 28, 28, 1)), np.zeros(64), epochs=1, batch_size=32, verbose=0)"),
                 "<snippet>", "exec"), ns)  # noqa: S102  (test-owned snippet)
    net = ns["net"]
    g = read(text)
    result = analyze(g)
    rows = [r for r in result.rows if not r.node.is_input]
    assert [r.output_shape for r in rows] == [_shape(layer.output) for layer in net.layers]
    assert rows[0].output_shape[0] == 32
    assert result.total_params == net.count_params()
    assert not any("built by calling them one by one" in n for n in g.extras.get("notes", []))


@pytest.mark.keras
def test_a_cells_initial_state_from_get_initial_state():
    """``state = cell.get_initial_state(batch_size=ops.shape(x)[0])``: Keras 3's zeros of
    (batch, units) per state, the batch only known when the model runs."""
    pytest.importorskip("keras")
    import numpy as np

    text = """
        import keras
        from keras import layers, ops
        class M(keras.Model):
            def __init__(self):
                super().__init__()
                self.cell = layers.GRUCell(8)
                self.head = layers.Dense(1)
            def call(self, x):
                state = self.cell.get_initial_state(batch_size=ops.shape(x)[0])
                for x_t in ops.unstack(x, axis=1):
                    out, state = self.cell(x_t, state)
                return self.head(out)
        model = M()
        model.build((None, 7, 3))
        """
    model = _keras_model(text)
    out = model(np.zeros((2, 7, 3)))
    result = analyze(read(text))
    assert result.total_params == model.count_params()  # GRUCell(8) on 3 features: 312, Dense: 9
    assert result.output_shapes == [(None, *_shape(out)[1:])]
    assert [r.output_shape for r in result.rows if r.type == "GRUCell"] == [[(None, 8), (None, 8)]] * 7


@pytest.mark.keras
def test_cells_run_step_by_step_are_rebuilt_in_keras_and_a_constant_state_is_refused_clearly():
    """The Keras bridge (verify, to_keras) calls a cell node as cell(x_t, states); a state made
    as a constant in the model's code cannot be a functional model's input: a clear error."""
    pytest.importorskip("keras")
    from archcalc.errors import UsageError
    from archcalc.keras_bridge.build import build

    text = """
        import keras
        from keras import layers, ops
        inp = keras.Input((5, 3))
        h0 = keras.Input((4,))
        cell = layers.SimpleRNNCell(4)
        state = [h0]
        for x_t in ops.unstack(inp, axis=1):
            out, state = cell(x_t, state)
        model = keras.Model([inp, h0], layers.Dense(2)(out))
        """
    want = _keras_model(text)
    built = build(read(text), compile=False)
    assert built.model.count_params() == want.count_params() == 4 * (3 + 4 + 1) + 10
    with pytest.raises(UsageError, match="constant tensor made in its own code"):
        build(read(CONSTANT_STATE_MODEL), compile=False)


@pytest.mark.keras
def test_emit_writes_a_cell_run_step_by_step_as_keras_runs_it():
    """``archcalc emit`` of a cell stepped over ``ops.unstack``: each step is written
    ``cell(x_t, [states])`` (Keras's call, output then new states), and the emitted program
    builds Keras's model; a model reading a constant it makes itself is refused, as verify
    refuses it."""
    pytest.importorskip("keras")
    from archcalc.errors import UsageError
    from archcalc.keras_bridge.codegen import generate

    text = STEPPED_CELLS
    want = _keras_model(text)
    code = generate(read(text))
    assert "_layer(unstack[0], [" in code
    emitted = _keras_model(code)
    assert emitted.count_params() == want.count_params()
    assert [_shape(t) for t in emitted.outputs] == [_shape(t) for t in want.outputs]
    with pytest.raises(UsageError, match="constant tensor made in its own code"):
        generate(read(CONSTANT_STATE_MODEL))


@pytest.mark.keras
def test_a_subclassed_models_batch_axis_from_a_dataset_or_an_earlier_call():
    """Keras 3 builds a subclassed model on its first call: fit on a tf.data dataset builds it
    with the dataset's batch (``batch(16, drop_remainder=True)``: 16, whatever fit's
    batch_size), and a Sequential with no input shape too; a model that predict() ran first
    keeps predict's batch, which archcalc does not claim (None), never fit's."""
    pytest.importorskip("keras")
    import keras
    import numpy as np
    import tensorflow as tf

    head = """
        import keras
        import numpy as np
        import tensorflow as tf
        from keras import layers
        class M(keras.Model):
            def __init__(self):
                super().__init__()
                self.d1 = layers.Dense(4)
            def call(self, x):
                return self.d1(x)
        model = M()
        model.compile(optimizer="adam", loss="mse")
        """
    x, y = np.zeros((64, 5), "float32"), np.zeros((64, 4), "float32")
    model = _keras_model(head)
    model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16, drop_remainder=True), epochs=1, verbose=0)
    result = analyze(read(textwrap.dedent(head) + textwrap.dedent("""
        ds = tf.data.Dataset.from_tensor_slices((np.zeros((64, 5)), np.zeros((64, 4)))).batch(16, drop_remainder=True)
        model.fit(ds, epochs=1)
        """)))
    assert result.by_name["dense"].output_shape == tuple(model.d1._build_shapes_dict["input_shape"][:-1]) + (4,)
    assert result.by_name["dense"].output_shape == (16, 4)
    # a Sequential with no input shape: built by the same rule
    seq = keras.Sequential([keras.layers.Dense(4)])
    seq.compile(optimizer="adam", loss="mse")
    seq.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16, drop_remainder=True), epochs=1, verbose=0)
    result = analyze(read("""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        ds = tf.data.Dataset.from_tensor_slices((np.zeros((64, 5)), np.zeros((64, 4)))).batch(16, drop_remainder=True)
        seq = keras.Sequential([keras.layers.Dense(4)])
        seq.compile(optimizer="adam", loss="mse")
        seq.fit(ds, epochs=1)
        """))
    assert result.output_shapes == [_shape(seq.outputs[0])] == [(16, 4)]

    model = _keras_model(head)
    model.predict(x[:10], verbose=0)
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    keras_batch = model.d1._build_shapes_dict["input_shape"][0]
    result = analyze(read(textwrap.dedent(head) + textwrap.dedent("""
        x = np.zeros((64, 5))
        model.predict(x[:10])
        model.fit(x, np.zeros((64, 4)), batch_size=32)
        """)))
    assert keras_batch == 10 and result.by_name["dense"].output_shape == (None, 4)
