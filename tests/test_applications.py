"""keras.applications builders in Python code, read from archcalc's table (made with real Keras by
tests/data/make_applications.py): checked here against Keras at other input sizes and options."""

from __future__ import annotations

import math
import textwrap

import pytest

from archcalc.engine import analyze
from archcalc.readers.python import applications as apps
from archcalc.readers.python import load_text

#: (builder, keyword arguments as written in the program): sizes and options off the defaults
CASES = [
    ("MobileNetV2", "input_shape=(160, 160, 3), include_top=False"),
    ("MobileNetV2", "input_shape=(96, 96, 3), include_top=False, pooling='avg'"),
    ("VGG16", "input_shape=(150, 150, 3), include_top=False"),
    ("ResNet50", "input_shape=(200, 180, 3), include_top=False"),
    ("ResNet50", "include_top=True, classes=7"),
    ("InceptionV3", "input_shape=(150, 150, 3), include_top=False"),
    ("Xception", "input_shape=(128, 128, 3), include_top=False, pooling='max'"),
    ("EfficientNetB0", "input_shape=(240, 240, 3), include_top=False"),
    ("DenseNet121", "input_shape=(96, 96, 3), include_top=False"),
    ("NASNetMobile", "input_shape=(96, 96, 3), include_top=False"),
    ("MobileNetV3Small", "input_shape=(128, 128, 3), include_top=False"),
    ("ConvNeXtTiny", "input_shape=(96, 96, 3), include_top=False"),
    # width options (the table's variants)
    ("MobileNetV2", "input_shape=(96, 96, 3), include_top=False, alpha=0.35"),
    ("MobileNetV2", "input_shape=(128, 128, 3), include_top=False, alpha=1.4, pooling='avg'"),
    ("MobileNet", "input_shape=(128, 128, 3), include_top=False, alpha=0.5"),
    ("MobileNetV3Small", "input_shape=(96, 96, 3), include_top=False, alpha=0.75, minimalistic=True"),
    ("MobileNetV3Large", "include_top=True, minimalistic=True, classes=7"),
]

PROGRAM = """
    import tensorflow as tf
    base = tf.keras.applications.{builder}(weights="imagenet", {kwargs})
    base.trainable = False
    inputs = tf.keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    if len(x.shape) == 4:
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
    outputs = tf.keras.layers.Dense(3)(x)
    model = tf.keras.Model(inputs, outputs)
"""


def read(builder: str, kwargs: str):
    return analyze(load_text(textwrap.dedent(PROGRAM.format(builder=builder, kwargs=kwargs)), "transfer.py"))


@pytest.mark.parametrize(("builder", "kwargs"), CASES, ids=[f"{b}-{i}" for i, (b, _) in enumerate(CASES)])
def test_application_in_a_transfer_model(builder, kwargs):
    result = read(builder, kwargs)
    base = next(r for r in result.rows if r.type == "Functional")
    assert base.trainable_params == 0 and base.non_trainable_params > 0  # base.trainable = False
    assert result.output_shapes == [(None, 3)]


@pytest.mark.keras
@pytest.mark.parametrize(("builder", "kwargs"), CASES, ids=[f"{b}-{i}" for i, (b, _) in enumerate(CASES)])
def test_application_matches_keras(builder, kwargs):
    import keras

    keras.backend.clear_session()
    ns: dict = {}
    exec(f"base = keras.applications.{builder}(weights=None, {kwargs})", {"keras": keras}, ns)  # noqa: S102
    base = ns["base"]
    result = read(builder, kwargs)
    row = next(r for r in result.rows if r.type == "Functional")
    assert row.name == base.name
    assert row.output_shape == tuple(base.outputs[0].shape)
    assert row.non_trainable_params + row.trainable_params == base.count_params()
    assert row.non_trainable_params == base.count_params()  # frozen in the program
    trainable = sum(math.prod(w.shape) for w in base.trainable_weights)
    options: dict = {}
    exec(f"options = dict({kwargs})", {}, options)  # noqa: S102  (the test's own keyword text)
    given = apps.bind(builder, [], options["options"])
    assert apps.Application(builder, "include_top=True" in kwargs, None, 7, "x", given=given).weights(
        [(None, 224, 224, 3)])[0].size == trainable


@pytest.mark.keras
def test_every_keras_application_is_in_the_table():
    import keras

    builders = {n for n in dir(keras.applications) if n[:1].isupper()}
    assert builders <= set(apps.table()), sorted(builders - set(apps.table()))


def test_options_outside_the_table_are_refused_with_their_line():
    from archcalc.errors import SpecError

    with pytest.raises(SpecError) as e:
        load_text("import keras\nm = keras.applications.MobileNetV2(alpha=0.6, include_top=False)\n", "x.py")
    assert e.value.loc.line == 2 and "alpha=0.6" in e.value.message
    assert "alpha=0.35" in (e.value.hint or "")
    with pytest.raises(SpecError) as e:
        load_text("import keras\nm = keras.applications.VGG16(input_shape=(64, 64, 3))\n", "x.py")
    assert e.value.loc.line == 2 and "include_top=False" in (e.value.hint or "")


@pytest.mark.keras
@pytest.mark.parametrize(("builder", "kwargs"), [
    ("MobileNetV2", "input_shape=(96, 96, 3), include_top=False, alpha=0.5"),
    ("ResNet50", "include_top=True, classes=7"),
])
def test_emit_and_to_keras_rebuild_the_application(builder, kwargs):
    """A transfer model's keras.applications base is written as the builder call with its
    options (weights=None), frozen as the program froze it: same counts as archcalc's."""
    import keras

    import archcalc
    from archcalc.keras_bridge.codegen import generate

    graph = load_text(textwrap.dedent(PROGRAM.format(builder=builder, kwargs=kwargs)), "transfer.py")
    analysis = analyze(graph)
    keras.backend.clear_session()
    built = archcalc.to_keras(graph)
    trainable = sum(math.prod(w.shape) for w in built.trainable_weights)
    assert (built.count_params(), trainable) == (analysis.total_params, analysis.trainable_params)
    keras.backend.clear_session()
    code = generate(graph)
    assert f"keras.applications.{builder}(" in code and "weights=None" in code
    ns: dict = {}
    exec(compile(code, "emitted.py", "exec"), ns)  # noqa: S102  (archcalc's own generated code)
    model = ns["model"]
    assert model.count_params() == analysis.total_params
    assert sum(math.prod(w.shape) for w in model.trainable_weights) == analysis.trainable_params


FINE_TUNE = """
    from tensorflow.keras.applications import ResNet50
    from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
    from tensorflow.keras.models import Model
    base_model = ResNet50(weights="imagenet", include_top=False, input_shape=(64, 64, 3))
    for layer in base_model.layers{part}:
        layer.trainable = False
    x = GlobalAveragePooling2D()(base_model.output)
    model = Model(inputs=base_model.input, outputs=Dense(10, activation="softmax")(x))
"""


def test_freezing_every_layer_in_a_loop_freezes_the_model():
    result = analyze(load_text(textwrap.dedent(FINE_TUNE.format(part="")), "fine_tune.py"))
    base = next(r for r in result.rows if r.type == "Functional")
    assert base.trainable_params == 0 and base.non_trainable_params > 0


@pytest.mark.keras
def test_freezing_some_layers_makes_the_trainable_split_a_named_size():
    """base.layers[:-10] frozen: archcalc's table has the model's totals, not its layers, so
    the total is Keras's and the trainable count is a named size, which --set pins; with
    Keras's own value for it, both counts are Keras's."""
    import keras

    program = textwrap.dedent(FINE_TUNE.format(part="[:-10]"))
    graph = load_text(program, "fine_tune.py")
    result = analyze(graph)
    assert "resnet50.trainable_params" in str(result.trainable_params)
    assert "some layers of resnet50" in " ".join(graph.extras["notes"])
    keras.backend.clear_session()
    ns: dict = {}
    exec(compile(program.replace('weights="imagenet"', "weights=None"), "fine_tune.py", "exec"), ns)  # noqa: S102
    model, base = ns["model"], ns["base_model"]
    base_trainable = sum(math.prod(w.shape) for w in base.trainable_weights)
    assert result.total_params == model.count_params()
    pinned = analyze(load_text(program, "fine_tune.py", overrides={"resnet50.trainable_params": base_trainable}))
    assert pinned.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)
    assert pinned.non_trainable_params == model.count_params() - pinned.trainable_params


# --- a model cut at a named layer: base.get_layer(name).output ----------------------------------

#: (builder, input size, layer names): one cut (transfer learning from an inner layer), several
#: (a U-Net's encoder skips), at sizes other than the table's
CUT_CASES = [
    ("InceptionV3", 150, ["mixed7"]),
    ("MobileNetV2", 128, ["block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu",
                          "block_13_expand_relu", "block_16_project"]),
    ("VGG16", 96, ["block3_pool", "block4_conv3"]),
    ("ResNet50", 160, ["conv2_block3_out", "conv4_block6_out"]),
    ("EfficientNetB0", 160, ["block6a_expand_activation"]),
    ("DenseNet121", 96, ["conv1_relu", "pool2_relu", "pool3_relu", "pool4_relu", "relu"]),
]

CUT_PROGRAM = """
    import tensorflow as tf
    base = tf.keras.applications.{builder}(input_shape=({size}, {size}, 3), include_top=False, weights=None)
    base.trainable = False
    outputs = [base.get_layer(name).output for name in {names!r}]
    down_stack = tf.keras.Model(inputs=base.input, outputs=outputs)
    inputs = tf.keras.Input(shape=({size}, {size}, 3))
    skips = down_stack(inputs)
    x = tf.keras.layers.GlobalAveragePooling2D()(skips[-1])
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(x))
"""


@pytest.mark.keras
@pytest.mark.parametrize(("builder", "size", "names"), CUT_CASES, ids=[c[0] for c in CUT_CASES])
def test_a_model_cut_at_named_layers_matches_keras(builder, size, names):
    import keras

    keras.backend.clear_session()
    base = getattr(keras.applications, builder)(input_shape=(size, size, 3), include_top=False, weights=None)
    down = keras.Model(base.input, [base.get_layer(n).output for n in names])
    text = textwrap.dedent(CUT_PROGRAM.format(builder=builder, size=size, names=names))
    graph = load_text(text, "cut.py", model_name="down_stack")
    result = analyze(graph)
    assert result.output_shapes == [tuple(t.shape) for t in down.outputs]
    assert result.total_params == down.count_params()
    assert result.non_trainable_params == down.count_params()  # base.trainable = False
    down.trainable = False
    inputs = keras.Input((size, size, 3))
    head = keras.layers.Dense(3)(keras.layers.GlobalAveragePooling2D()(down(inputs)[-1]))
    model = keras.Model(inputs, head)
    whole = analyze(load_text(text, "cut.py"))
    assert whole.total_params == model.count_params()
    assert whole.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)


def test_a_cut_at_a_layer_the_base_does_not_have_names_it():
    text = textwrap.dedent(CUT_PROGRAM.format(builder="MobileNetV2", size=96, names=["block_1_expand_rel"]))
    with pytest.raises(Exception, match="has no layer named 'block_1_expand_rel'") as err:
        load_text(text, "cut.py", model_name="down_stack")
    assert "block_1_expand_relu" in str(getattr(err.value, "hint", "")) + str(err.value)


def test_a_branch_cut_with_a_later_cut_is_refused_not_double_counted():
    # two cuts whose layers the table cannot tell apart in the union (an Inception branch, then
    # a later layer): refused with a hint, never a sum that counts shared layers twice
    records = apps.cuts_table()["InceptionV3"]
    branch = next(i for i, r in enumerate(records) if not r[5])
    names = [records[branch][0], records[-1][0]]
    text = textwrap.dedent(CUT_PROGRAM.format(builder="InceptionV3", size=150, names=names))
    with pytest.raises(Exception, match="cannot combine the output of") as err:
        load_text(text, "cut.py", model_name="down_stack")
    assert "model.to_json()" in str(getattr(err.value, "hint", ""))


ONE_BY_ONE = """
from tensorflow.keras.applications import {builder}
from tensorflow.keras.layers import Input, Flatten, Dense
from tensorflow.keras.models import Sequential

base = {builder}(weights=None, include_top=False, input_tensor=Input(shape=({size}, {size}, 3)))
model = Sequential()
for layer in base.layers:
    layer.trainable = False
    model.add(layer)
model.add(Flatten())
model.add(Dense(16, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
"""


@pytest.mark.keras
@pytest.mark.parametrize(("builder", "size"), [("VGG16", 57), ("VGG19", 64)])
def test_an_applications_layers_added_one_by_one_count_as_keras_counts(builder, size):
    """``for layer in base.layers: model.add(layer)`` (a Sequential rebuilt from a
    keras.applications model's layers, its input first): Keras's totals and output shape; the
    base is one row, and a note says Keras lists its layers one by one."""
    import keras

    program = ONE_BY_ONE.format(builder=builder, size=size)
    keras.backend.clear_session()
    ns: dict = {}
    exec(compile(program, "<one_by_one>", "exec"), ns)  # noqa: S102  (test-owned program)
    model = ns["model"]
    graph = load_text(program, "one_by_one.py")
    result = analyze(graph)
    assert result.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)
    assert result.total_params == model.count_params()
    assert result.output_shapes == [tuple(None if d is None else int(d) for d in model.outputs[0].shape)]
    assert any("added one by one" in n for n in graph.extras.get("notes", ()))


def test_some_of_an_applications_layers_added_one_by_one_are_refused_clearly():
    program = ONE_BY_ONE.format(builder="VGG16", size=64).replace("base.layers:", "base.layers[:-4]:")
    from archcalc.errors import SpecError

    with pytest.raises(SpecError, match="some of the layers of vgg16 are added") as info:
        load_text(program, "one_by_one.py")
    assert "AppLayer" not in str(info.value)
