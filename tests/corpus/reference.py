"""Keras 3 builders of the corpus programs: one function per program, returning the model.

Each function builds, in real Keras 3, the model its program (tests/corpus/programs/) builds,
in the same order (so automatic layer names agree), and returns it built. Programs written
against Keras 1 or 2 are translated here; every translated spelling carries a comment saying
what it was and why the Keras 3 form means the same. Sizes the program takes from data files
(pinned with `set:` in manifest.yaml) appear here as the pinned numbers.
"""
# ruff: noqa: E501

import keras
from keras import layers, ops


class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * eps: the shape of the mean, no weights."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean))
        return z_mean + ops.exp(0.5 * z_log_var) * eps


# --- Keras 3 ---------------------------------------------------------------------------------


def k3_fashion_convnet():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),  # fashion_mnist (28, 28) after expand_dims(-1)
        layers.Conv2D(32, 3, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(128, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),  # len(CLASS_NAMES)
    ], name="fashion_cnn")


def k3_tabular_functional():
    inputs = keras.Input(shape=(13,), name="features")  # set: n_features=13
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(32, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    outputs = layers.Dense(1, activation="sigmoid", name="churn")(x)
    return keras.Model(inputs, outputs, name="churn_mlp")


class _MLP(keras.Model):
    def __init__(self, hidden=256, num_classes=10, dropout=0.2, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.hidden1 = layers.Dense(hidden, activation="relu")
        self.drop = layers.Dropout(dropout)
        self.hidden2 = layers.Dense(hidden // 2, activation="relu")
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.hidden2(self.drop(self.hidden1(self.flatten(inputs)), training=training))
        return self.classifier(x)


def k3_subclass_mlp():
    model = _MLP(hidden=512)
    model(keras.Input((28, 28)))  # model.build((None, 28, 28))
    return model


def _vae_encoder():
    encoder_inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
    x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(2, name="z_mean")(x)
    z_log_var = layers.Dense(2, name="z_log_var")(x)
    z = Sampling()([z_mean, z_log_var])
    return keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")


def _vae_decoder():
    latent_inputs = keras.Input(shape=(2,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
    out = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(latent_inputs, out, name="decoder")


def k3_vae_sampling_encoder():
    return _vae_encoder()


def k3_vae_sampling_decoder():
    _vae_encoder()  # built first in the program: the decoder's layer names come after it
    return _vae_decoder()


def k3_imdb_conv1d():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(20000, 128)(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
    return keras.Model(inputs, predictions)


class _TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__(name="transformer_block")
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        out1 = self.layernorm1(inputs + self.dropout1(self.att(inputs, inputs)))
        return self.layernorm2(out1 + self.dropout2(self.ffn(out1)))


class _TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__(name="token_and_position_embedding")
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        positions = self.pos_emb(ops.arange(start=0, stop=ops.shape(x)[-1], step=1))
        return self.token_emb(x) + positions


def k3_transformer_text():
    inputs = layers.Input(shape=(200,))
    x = _TokenAndPositionEmbedding(200, 20000, 32)(inputs)
    x = _TransformerBlock(32, 2, 32)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def _hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)  # x + 3.0 and * (1/6): operations, no layers


def _hard_swish(x):
    return layers.Multiply()([x, _hard_sigmoid(x)])


def k3_hard_swish_ops():
    def se_block(inputs, filters, ratio=4):
        x = layers.GlobalAveragePooling2D(keepdims=True)(inputs)
        x = layers.Conv2D(filters // ratio, 1, activation="relu")(x)
        x = layers.Conv2D(filters, 1)(x)
        return layers.Multiply()([inputs, _hard_sigmoid(x)])

    def bneck(x, expand, out, kernel, stride, use_se):
        shortcut, in_ch = x, x.shape[-1]
        x = _hard_swish(layers.BatchNormalization()(layers.Conv2D(expand, 1, padding="same", use_bias=False)(x)))
        x = layers.DepthwiseConv2D(kernel, strides=stride, padding="same", use_bias=False)(x)
        x = _hard_swish(layers.BatchNormalization()(x))
        if use_se:
            x = se_block(x, expand)
        x = layers.BatchNormalization()(layers.Conv2D(out, 1, padding="same", use_bias=False)(x))
        if stride == 1 and in_ch == out:
            x = layers.Add()([shortcut, x])
        return x

    inputs = keras.Input(shape=(96, 96, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(x)
    x = _hard_swish(layers.BatchNormalization()(x))
    x = bneck(x, 16, 16, 3, 2, True)
    x = bneck(x, 72, 24, 3, 2, False)
    x = bneck(x, 88, 24, 3, 1, False)
    x = bneck(x, 96, 40, 5, 2, True)
    x = layers.GlobalAveragePooling2D()(x)
    x = _hard_swish(layers.Dense(128)(x))
    outputs = layers.Dense(5, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="tiny_mnv3")


def k3_lambda_mean():
    inputs = keras.Input(shape=(50, 8))
    h = layers.LSTM(64, return_sequences=True)(inputs)
    h = layers.LSTM(32, return_sequences=True)(h)
    pooled = layers.Lambda(lambda t: ops.mean(t, axis=1), output_shape=(32,), name="time_mean")(h)
    scaled = layers.Lambda(lambda t: t * 0.5, name="halve")(pooled)
    return keras.Model(inputs, layers.Dense(1)(scaled))


class _MyDense(layers.Layer):
    def __init__(self, units=32, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="kernel")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.w) + self.b)

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (self.units,)


class _LearnedScale(layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")

    def call(self, inputs):
        return inputs * self.scale


def k3_custom_dense_layer():
    inputs = keras.Input(shape=(784,))
    x = _MyDense(128, activation="relu", name="my_dense")(inputs)
    x = _LearnedScale(name="learned_scale")(x)
    x = _MyDense(64, activation="relu", name="my_dense_1")(x)
    outputs = _MyDense(10, activation="softmax", name="my_dense_2")(x)
    return keras.Model(inputs, outputs)


def k3_residual_functions():
    def conv_bn(x, filters, kernel=3, strides=1, activation=True):
        x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                          kernel_regularizer=keras.regularizers.l2(1e-4))(x)
        x = layers.BatchNormalization()(x)
        return layers.Activation("relu")(x) if activation else x

    def residual_block(x, filters, downsample=False):
        strides = 2 if downsample else 1
        shortcut = x
        y = conv_bn(conv_bn(x, filters, strides=strides), filters, activation=False)
        if downsample or shortcut.shape[-1] != filters:
            shortcut = conv_bn(shortcut, filters, kernel=1, strides=strides, activation=False)
        return layers.Activation("relu")(layers.add([y, shortcut]))

    inputs = keras.Input(shape=(32, 32, 3))  # cifar10 x_train.shape[1:]
    x = conv_bn(inputs, 16)
    for i, filters in enumerate((16, 32, 64)):
        for j in range(2):
            x = residual_block(x, filters, downsample=(j == 0 and i > 0))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x), name="resnet_small")


def k3_timeseries_lstm():
    model = keras.Sequential()
    model.add(keras.Input(shape=(12, 1)))
    model.add(layers.LSTM(50, activation="relu", return_sequences=True))
    model.add(layers.LSTM(50, activation="relu"))
    model.add(layers.Dense(1))
    return model


def k3_denoise_autoencoder():
    inp = layers.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(inp)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
    return keras.Model(inp, x)


def k3_multi_input_output():
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(12,), name="tags")
    title_features = layers.Embedding(10000, 64)(title_input)
    body_features = layers.Embedding(10000, 64)(body_input)
    title_features = layers.LSTM(128)(title_features)
    body_features = layers.LSTM(32)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(4, name="department")(x)
    return keras.Model([title_input, body_input, tags_input], [priority_pred, department_pred])


def k3_cifar10_augment():
    data_augmentation = keras.Sequential(
        [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.1)], name="augment")
    return keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        data_augmentation,
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),  # len(set(y_train.flatten())): cifar10 has 10 classes
    ])


def k3_siamese_shared():
    def euclidean_distance(vects):
        x, y = vects
        return ops.sqrt(ops.maximum(ops.sum(ops.square(x - y), axis=1, keepdims=True), keras.backend.epsilon()))

    tower_input = layers.Input((28, 28, 1))
    x = layers.BatchNormalization()(tower_input)
    x = layers.Conv2D(4, (5, 5), activation="tanh")(x)
    x = layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = layers.Conv2D(16, (5, 5), activation="tanh")(x)
    x = layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = layers.Flatten()(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dense(10, activation="tanh")(x)
    embedding_network = keras.Model(tower_input, x)
    input_1 = layers.Input((28, 28, 1))
    input_2 = layers.Input((28, 28, 1))
    tower_1 = embedding_network(input_1)
    tower_2 = embedding_network(input_2)
    merge_layer = layers.Lambda(euclidean_distance, output_shape=(1,))([tower_1, tower_2])
    normal_layer = layers.BatchNormalization()(merge_layer)
    output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
    return keras.Model([input_1, input_2], output_layer)


def k3_builder_never_called():
    # read as build_model() with its defaults: input_shape=(64, 64, 3), num_classes=6, width=32
    inputs = keras.Input(shape=(64, 64, 3), name="image")
    x = inputs
    for i, mult in enumerate((1, 2, 4)):
        name = f"block{i + 1}"
        x = layers.Conv2D(32 * mult, 3, padding="same", activation="relu", name=f"{name}_conv1")(x)
        x = layers.Conv2D(32 * mult, 3, padding="same", activation="relu", name=f"{name}_conv2")(x)
        x = layers.MaxPooling2D(name=f"{name}_pool")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(256, activation="relu", name="fc1")(x)
    x = layers.Dropout(0.4, name="drop")(x)
    outputs = layers.Dense(6, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="vgg_like")


def k3_make_model_xception():
    inputs = keras.Input(shape=(180, 180, 3))  # image_size + (3,)
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(128, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous = x
    for size in [256, 512, 728]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous)
        x = layers.add([x, residual])
        previous = x
    x = layers.SeparableConv2D(1024, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(1, activation=None)(x)  # num_classes == 2: one unit
    return keras.Model(inputs, outputs)


class _ResidualBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.relu = layers.ReLU()

    def call(self, inputs, training=None):
        x = self.relu(self.bn1(self.conv1(inputs), training=training))
        x = self.bn2(self.conv2(x), training=training)
        return self.relu(x + inputs)


class _SmallResNet(keras.Model):
    def __init__(self, num_classes=10, filters=32, num_blocks=3):
        super().__init__(name="small_res_net")
        self.stem = keras.Sequential([layers.Conv2D(filters, 3, padding="same", use_bias=False),
                                      layers.BatchNormalization(), layers.ReLU()])
        self.blocks = [_ResidualBlock(filters, name="residual_block" + (f"_{i}" if i else "")) for i in range(num_blocks)]
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.stem(x, training=training)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(self.pool(x))


def k3_subclass_resnet_blocks():
    model = _SmallResNet(num_classes=10)
    model(keras.Input((32, 32, 3)))  # model.build(input_shape=(None, 32, 32, 3))
    return model


def k3_patch_ops():
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(64, 4, strides=4)(inputs)
    x = ops.reshape(x, (-1, 64, 64))  # keras.ops on KerasTensors: operations, not layers
    for _ in range(2):
        y = layers.LayerNormalization()(x)
        y = ops.transpose(y, axes=(0, 2, 1))
        y = layers.Dense(64, activation="gelu")(y)
        y = ops.transpose(y, axes=(0, 2, 1))
        x = x + y
        y = layers.LayerNormalization()(x)
        y = layers.Dense(128, activation="gelu")(y)
        y = layers.Dense(64)(y)
        x = x + y
    x = ops.mean(x, axis=1)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x), name="mixer")


# --- the course notes' VAE -------------------------------------------------------------------


def _notes_encoder():
    enc_input = keras.Input(shape=(784,))
    h = layers.Dense(256, activation="relu")(enc_input)
    mean = layers.Dense(2)(h)
    logvar = layers.Dense(2)(h)
    return keras.Model(enc_input, [mean, logvar], name="encoder")


def _notes_decoder():
    dec_input = keras.Input(shape=(2,))
    h = layers.Dense(256, activation="relu")(dec_input)
    return keras.Model(dec_input, layers.Dense(784, activation="sigmoid")(h), name="decoder")


class _NotesVAE(keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__(name="vae")
        self.encoder = encoder
        self.decoder = decoder

    def call(self, x):
        mean, logvar = self.encoder(x)
        z = keras.random.normal(ops.shape(mean)) * ops.exp(logvar * 0.5) + mean  # reparameterize
        return self.decoder(z)


def notes_vae_encoder():
    return _notes_encoder()


def notes_vae_decoder():
    _notes_encoder()
    return _notes_decoder()


def notes_vae():
    vae = _NotesVAE(_notes_encoder(), _notes_decoder())
    vae(keras.Input((784,)))  # built by fit on x_train reshaped to (-1, 784)
    return vae


# --- tf.keras 2 ------------------------------------------------------------------------------


def tfk_fashion_tutorial():
    model = keras.Sequential([
        layers.Input((28, 28)),  # Flatten(input_shape=(28, 28)): Keras 3 spells the input as an Input
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),
    ])
    return keras.Sequential([model, layers.Softmax()])  # probability_model, the last one assigned


def tfk_fashion_tutorial_trained():
    # the default pick: `model`, the one the program fits (probability_model is built after it)
    return keras.Sequential([
        layers.Input((28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),
    ])


def tfk_imdb_embedding():
    model = keras.Sequential()
    model.add(layers.Input((256,)))  # Embedding(..., input_shape=(256,)); maxlen=256
    model.add(layers.Embedding(10000, 16))
    model.add(layers.GlobalAveragePooling1D())
    model.add(layers.Dense(16, activation="relu"))  # activation=tf.nn.relu
    model.add(layers.Dropout(0.2))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


def tfk_python_keras_cnn():
    # tensorflow.python.keras is tf.keras 2's private path: the same layers
    model = keras.Sequential()
    model.add(layers.Input((64, 64, 3)))
    model.add(layers.Conv2D(32, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2)))
    model.add(layers.Conv2D(32, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(units=128, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(units=1, activation="sigmoid"))
    return model


def tfk_import_keras_as_k():
    model = keras.Sequential()
    model.add(layers.Input((64,)))  # load_digits: 64 features, 10 classes
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dropout(0.1))
    model.add(layers.Dense(32, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))  # y.shape[1] after to_categorical
    return model


def tfk_resnet_functional():
    def res_block(x, filters, stride=1):
        shortcut = x
        x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        if stride != 1:
            shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(shortcut)
            shortcut = layers.BatchNormalization()(shortcut)
        return layers.ReLU()(layers.add([x, shortcut]))

    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(32, 3, padding="same", use_bias=False)(inputs)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    for filters, stride in [(32, 1), (64, 2), (128, 2)]:
        x = res_block(x, filters, stride)
        x = res_block(x, filters)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(100, activation="softmax")(x))


def tfk_tensor_arith_swish():
    # tf.nn.sigmoid / relu6 / relu on a tf.keras 2 tensor made a TFOpLambda layer; a Keras 3
    # KerasTensor takes keras.ops instead, which are operations (no layer, no weights)
    def swish(x):
        return x * ops.sigmoid(x)

    def hswish(x):
        return x * ops.relu6(x + 3.0) / 6.0

    def mb_block(x, filters, expand=4, stride=1):
        in_filters = x.shape[-1]
        h = swish(layers.BatchNormalization()(layers.Conv2D(in_filters * expand, 1, use_bias=False)(x)))
        h = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(h)
        h = hswish(layers.BatchNormalization()(h))
        h = layers.BatchNormalization()(layers.Conv2D(filters, 1, use_bias=False)(h))
        if stride == 1 and in_filters == filters:
            h = h + x
        return h

    inp = layers.Input(shape=(128, 128, 3))
    x = layers.Conv2D(24, 3, strides=2, padding="same", use_bias=False)(inp)
    x = ops.relu(layers.BatchNormalization()(x))
    x = mb_block(x, 24)
    x = mb_block(x, 40, stride=2)
    x = mb_block(x, 40)
    x = mb_block(x, 80, stride=2)
    x = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(x))
    return keras.Model(inp, layers.Dense(3, activation="softmax")(x))


def tfk_boston_kfold():
    # the last model assigned: build_model() after the k-fold loop (boston_housing: 13 features)
    model = keras.Sequential()
    model.add(layers.Input((13,)))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(1))
    return model


def _dcgan_generator():
    model = keras.Sequential()
    model.add(layers.Input((100,)))
    model.add(layers.Dense(7 * 7 * 256, use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 7, 256)))
    model.add(layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same", use_bias=False, activation="tanh"))
    return model


def tfk_dcgan_generator():
    return _dcgan_generator()


def tfk_dcgan_discriminator():
    _dcgan_generator()
    model = keras.Sequential()
    model.add(layers.Input((28, 28, 1)))
    model.add(layers.Conv2D(64, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Conv2D(128, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    return model


def tfk_transfer_mobilenet():
    data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])
    # weights='imagenet' only sets values; the counts are the architecture's
    base_model = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)
    base_model.trainable = False
    global_average_layer = layers.GlobalAveragePooling2D()
    prediction_layer = layers.Dense(1)
    inputs = keras.Input(shape=(160, 160, 3))
    x = data_augmentation(inputs)
    x = keras.applications.mobilenet_v2.preprocess_input(x)  # x / 127.5 - 1: operations
    x = base_model(x, training=False)
    x = global_average_layer(x)
    x = layers.Dropout(0.2)(x)
    return keras.Model(inputs, prediction_layer(x))


def tfk_california_wide_deep():
    input_ = layers.Input(shape=(8,))  # fetch_california_housing: 8 features
    hidden1 = layers.Dense(30, activation="relu")(input_)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    concat = layers.concatenate([input_, hidden2])
    return keras.Model(inputs=[input_], outputs=[layers.Dense(1)(concat)])


def tfk_iris_sklearn():
    model = keras.Sequential(name="iris")
    model.add(layers.Input((4,)))  # Dense(16, input_dim=n_features): iris has 4 features, 3 classes
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.Dense(12, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    return model


class _WideAndDeepModel(keras.Model):
    def __init__(self, units=30, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = layers.Dense(units, activation=activation)
        self.hidden2 = layers.Dense(units, activation=activation)
        self.main_output = layers.Dense(1)
        self.aux_output = layers.Dense(1)

    def call(self, inputs):
        input_A, input_B = inputs
        hidden2 = self.hidden2(self.hidden1(input_B))
        concat = layers.concatenate([input_A, hidden2])
        return self.main_output(concat), self.aux_output(hidden2)


def tfk_subclass_wide_deep():
    model = _WideAndDeepModel(30, activation="relu")
    # fit((X_train_A, X_train_B)): california's 8 features sliced [:, :5] and [:, 2:]
    model((keras.Input((5,)), keras.Input((6,))))
    return model


class _LinearLayer(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, batch_input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[batch_input_shape[-1], self.units])
        self.bias = self.add_weight(name="bias", shape=[self.units], initializer="zeros")

    def call(self, X):
        return ops.matmul(X, self.kernel) + self.bias

    def compute_output_shape(self, batch_input_shape):
        # tf.keras 2 passed a TensorShape (batch_input_shape.as_list()); Keras 3 passes a tuple
        return tuple(batch_input_shape[:-1]) + (self.units,)


class _GaussianNoiseAdder(layers.Layer):
    def __init__(self, stddev, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev

    def call(self, X, training=None):
        return X

    def compute_output_shape(self, batch_input_shape):
        return batch_input_shape


def tfk_custom_layer_build():
    return keras.Sequential([
        layers.Input(shape=(8,)),
        _GaussianNoiseAdder(0.1, name="gaussian_noise_adder"),
        _LinearLayer(30, name="linear_layer"),
        layers.Activation("relu"),
        _LinearLayer(1, name="linear_layer_1"),
    ])


def tfk_seq2seq_chars():
    # set: num_encoder_tokens=71, num_decoder_tokens=93 (counted from fra.txt at run time)
    encoder_inputs = keras.Input(shape=(None, 71))
    encoder = layers.LSTM(256, return_state=True)
    _, state_h, state_c = encoder(encoder_inputs)
    decoder_inputs = keras.Input(shape=(None, 93))
    decoder_lstm = layers.LSTM(256, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    decoder_outputs = layers.Dense(93, activation="softmax")(decoder_outputs)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


# --- Keras 2 (standalone) --------------------------------------------------------------------
# Keras 2 `input_shape=` / `input_dim=` / `input_length=` on the first layer built the
# Sequential; Keras 3 spells that input as keras.Input (same shapes, no layer in model.layers).


def k2_mnist_cnn_channels():
    # K.image_data_format() is 'channels_last' by default: the else branch
    model = keras.Sequential()
    model.add(layers.Input((28, 28, 1)))
    model.add(layers.Conv2D(32, kernel_size=(3, 3), activation="relu"))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2)))
    model.add(layers.Dropout(0.25))
    model.add(layers.Flatten())
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def k2_cifar10_fit_generator():
    model = keras.Sequential()
    model.add(layers.Input((32, 32, 3)))  # x_train.shape[1:] of cifar10
    for conv in (
        layers.Conv2D(32, (3, 3), padding="same"), layers.Activation("relu"),
        layers.Conv2D(32, (3, 3)), layers.Activation("relu"),
        layers.MaxPooling2D(pool_size=(2, 2)), layers.Dropout(0.25),
        layers.Conv2D(64, (3, 3), padding="same"), layers.Activation("relu"),
        layers.Conv2D(64, (3, 3)), layers.Activation("relu"),
        layers.MaxPooling2D(pool_size=(2, 2)), layers.Dropout(0.25),
        layers.Flatten(), layers.Dense(512), layers.Activation("relu"), layers.Dropout(0.5),
        layers.Dense(10), layers.Activation("softmax"),
    ):
        model.add(conv)
    return model


def k2_baseline_np_utils():
    # keras.layers.core / keras.layers.convolutional: Keras 2's module paths of the same layers
    model = keras.Sequential()
    model.add(layers.Input((28, 28, 1)))
    model.add(layers.Conv2D(30, (5, 5), activation="relu"))
    model.add(layers.MaxPooling2D())
    model.add(layers.Conv2D(15, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D())
    model.add(layers.Dropout(0.2))
    model.add(layers.Flatten())
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.Dense(50, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))  # y_test.shape[1] after to_categorical: 10
    return model


def k2_star_unet():
    # unet() with its defaults; Model(input=, output=) is Keras 2.0's spelling of inputs=/outputs=
    def conv(filters, k=3):
        return layers.Conv2D(filters, k, activation="relu", padding="same", kernel_initializer="he_normal")

    def double(x, filters):  # two convs, made in the program's order (layer names follow it)
        x = conv(filters)(x)
        return conv(filters)(x)

    inputs = layers.Input((256, 256, 1))
    conv1 = double(inputs, 64)
    pool1 = layers.MaxPooling2D(pool_size=(2, 2))(conv1)
    conv2 = double(pool1, 128)
    pool2 = layers.MaxPooling2D(pool_size=(2, 2))(conv2)
    conv3 = double(pool2, 256)
    drop3 = layers.Dropout(0.5)(conv3)
    pool3 = layers.MaxPooling2D(pool_size=(2, 2))(drop3)
    conv4 = double(pool3, 512)
    drop4 = layers.Dropout(0.5)(conv4)
    up5 = conv(256, 2)(layers.UpSampling2D(size=(2, 2))(drop4))
    conv5 = double(layers.concatenate([drop3, up5], axis=3), 256)
    up6 = conv(128, 2)(layers.UpSampling2D(size=(2, 2))(conv5))
    conv6 = double(layers.concatenate([conv2, up6], axis=3), 128)
    up7 = conv(64, 2)(layers.UpSampling2D(size=(2, 2))(conv6))
    conv7 = double(layers.concatenate([conv1, up7], axis=3), 64)
    conv7 = conv(2)(conv7)
    conv8 = layers.Conv2D(1, 1, activation="sigmoid")(conv7)
    return keras.Model(inputs, conv8)


def k2_lstm_text_generation():
    model = keras.Sequential()
    model.add(layers.Input((40, 57)))  # set: n_chars=57 (counted from the downloaded text)
    model.add(layers.LSTM(128))
    model.add(layers.Dense(57))
    model.add(layers.Activation("softmax"))
    return model


def k2_generator_while():
    model = keras.Sequential()
    model.add(layers.Input((24,)))  # Dense(128, input_dim=N_FEATURES)
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.BatchNormalization())
    model.add(layers.Dropout(0.3))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(5, activation="softmax"))
    return model


def k2_squeezenet_module():
    # SqueezeNet() with its defaults: _obtain_input_shape(None, default_size=227, ...,
    # require_flatten=True) is (227, 227, 3) channels-last; include_top=True, classes=1000
    def fire_module(x, fire_id, squeeze, expand):
        s_id = "fire" + str(fire_id) + "_"
        x = layers.Conv2D(squeeze, (1, 1), padding="valid", name=s_id + "squeeze1x1")(x)
        x = layers.Activation("relu", name=s_id + "relu_squeeze1x1")(x)
        left = layers.Conv2D(expand, (1, 1), padding="valid", name=s_id + "expand1x1")(x)
        left = layers.Activation("relu", name=s_id + "relu_expand1x1")(left)
        right = layers.Conv2D(expand, (3, 3), padding="same", name=s_id + "expand3x3")(x)
        right = layers.Activation("relu", name=s_id + "relu_expand3x3")(right)
        return layers.concatenate([left, right], axis=3, name=s_id + "concat")

    img_input = layers.Input(shape=(227, 227, 3))
    x = layers.Conv2D(64, (3, 3), strides=(2, 2), padding="valid", name="conv1")(img_input)  # Convolution2D: Keras 2 alias of Conv2D
    x = layers.Activation("relu", name="relu_conv1")(x)
    x = layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), name="pool1")(x)
    x = fire_module(x, 2, 16, 64)
    x = fire_module(x, 3, 16, 64)
    x = layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), name="pool3")(x)
    x = fire_module(x, 4, 32, 128)
    x = fire_module(x, 5, 32, 128)
    x = layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), name="pool5")(x)
    x = fire_module(x, 6, 48, 192)
    x = fire_module(x, 7, 48, 192)
    x = fire_module(x, 8, 64, 256)
    x = fire_module(x, 9, 64, 256)
    x = layers.Dropout(0.5, name="drop9")(x)
    x = layers.Conv2D(1000, (1, 1), padding="valid", name="conv10")(x)
    x = layers.Activation("relu", name="relu_conv10")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Activation("softmax", name="loss")(x)
    return keras.Model(img_input, x, name="squeezenet")


def k2_resnet_identity_blocks():
    def identity_block(X, f, filters, stage, block):
        conv, bn = "res" + str(stage) + block + "_branch", "bn" + str(stage) + block + "_branch"
        F1, F2, F3 = filters
        X_shortcut = X
        X = layers.Activation("relu")(layers.BatchNormalization(axis=3, name=bn + "2a")(layers.Conv2D(F1, (1, 1), padding="valid", name=conv + "2a")(X)))
        X = layers.Activation("relu")(layers.BatchNormalization(axis=3, name=bn + "2b")(layers.Conv2D(F2, (f, f), padding="same", name=conv + "2b")(X)))
        X = layers.BatchNormalization(axis=3, name=bn + "2c")(layers.Conv2D(F3, (1, 1), padding="valid", name=conv + "2c")(X))
        return layers.Activation("relu")(layers.Add()([X, X_shortcut]))

    def convolutional_block(X, f, filters, stage, block, s=2):
        conv, bn = "res" + str(stage) + block + "_branch", "bn" + str(stage) + block + "_branch"
        F1, F2, F3 = filters
        X_shortcut = X
        X = layers.Activation("relu")(layers.BatchNormalization(axis=3, name=bn + "2a")(layers.Conv2D(F1, (1, 1), strides=(s, s), name=conv + "2a")(X)))
        X = layers.Activation("relu")(layers.BatchNormalization(axis=3, name=bn + "2b")(layers.Conv2D(F2, (f, f), padding="same", name=conv + "2b")(X)))
        X = layers.BatchNormalization(axis=3, name=bn + "2c")(layers.Conv2D(F3, (1, 1), name=conv + "2c")(X))
        X_shortcut = layers.Conv2D(F3, (1, 1), strides=(s, s), name=conv + "1")(X_shortcut)
        X_shortcut = layers.BatchNormalization(axis=3, name=bn + "1")(X_shortcut)
        return layers.Activation("relu")(layers.Add()([X, X_shortcut]))

    X_input = layers.Input((64, 64, 3))
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), name="conv1")(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3, name="bn_conv1")(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, 3, [64, 64, 256], 2, "a", s=1)
    X = identity_block(X, 3, [64, 64, 256], 2, "b")
    X = identity_block(X, 3, [64, 64, 256], 2, "c")
    X = convolutional_block(X, 3, [128, 128, 512], 3, "a", s=2)
    X = identity_block(X, 3, [128, 128, 512], 3, "b")
    X = layers.AveragePooling2D((2, 2), name="avg_pool")(X)
    X = layers.Flatten()(X)
    X = layers.Dense(6, activation="softmax", name="fc6")(X)
    return keras.Model(X_input, X, name="ResNetMini")


def k2_inception_concat():
    def inception_module(layer_in, f1, f2_in, f2_out, f3_in, f3_out, f4_out):
        conv1 = layers.Conv2D(f1, (1, 1), padding="same", activation="relu")(layer_in)
        conv3 = layers.Conv2D(f2_in, (1, 1), padding="same", activation="relu")(layer_in)
        conv3 = layers.Conv2D(f2_out, (3, 3), padding="same", activation="relu")(conv3)
        conv5 = layers.Conv2D(f3_in, (1, 1), padding="same", activation="relu")(layer_in)
        conv5 = layers.Conv2D(f3_out, (5, 5), padding="same", activation="relu")(conv5)
        pool = layers.MaxPooling2D((3, 3), strides=(1, 1), padding="same")(layer_in)
        pool = layers.Conv2D(f4_out, (1, 1), padding="same", activation="relu")(pool)
        return layers.concatenate([conv1, conv3, conv5, pool], axis=-1)

    visible = layers.Input(shape=(64, 64, 3))
    layer = layers.Conv2D(32, (3, 3), strides=(2, 2), activation="relu")(visible)
    layer = inception_module(layer, 64, 96, 128, 16, 32, 32)
    layer = inception_module(layer, 128, 128, 192, 32, 96, 64)
    layer = layers.Flatten()(layers.AveragePooling2D((4, 4))(layer))
    return keras.Model(visible, layers.Dense(10, activation="softmax")(layer))


def k2_backend_lambda():
    # keras.backend K.mean / K.max / K.concatenate are keras.ops.mean / max / concatenate
    words = layers.Input(shape=(60,), dtype="int32")
    emb = layers.Embedding(5000, 100)(words)
    seq = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(emb)
    avg = layers.Lambda(lambda x: ops.mean(x, axis=1), output_shape=lambda s: (s[0], s[2]))(seq)
    mx = layers.Lambda(lambda t: ops.max(t, axis=1), output_shape=(128,))(seq)
    feat = layers.Lambda(lambda ts: ops.concatenate(ts, axis=-1), output_shape=(256,))([avg, mx])
    return keras.Model(words, layers.Dense(1, activation="sigmoid")(feat))


def k2_reuters_mlp():
    model = keras.Sequential()
    model.add(layers.Input((1000,)))
    model.add(layers.Dense(512))
    model.add(layers.Activation("relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(46))  # np.max(y_train) + 1: reuters has 46 topics
    model.add(layers.Activation("softmax"))
    return model


def k2_imdb_cnn_lstm():
    model = keras.Sequential()
    model.add(layers.Input((100,)))  # Embedding(..., input_length=maxlen)
    model.add(layers.Embedding(20000, 128))
    model.add(layers.Dropout(0.25))
    model.add(layers.Conv1D(64, 5, padding="valid", activation="relu", strides=1))
    model.add(layers.MaxPooling1D(pool_size=4))
    model.add(layers.LSTM(70))
    model.add(layers.Dense(1))
    model.add(layers.Activation("sigmoid"))
    return model


def k2_cats_dogs_small():
    model = keras.Sequential()
    model.add(layers.Input((150, 150, 3)))  # the channels_last branch
    for filters in (32, 32, 64):
        model.add(layers.Conv2D(filters, (3, 3)))
        model.add(layers.Activation("relu"))
        model.add(layers.MaxPooling2D(pool_size=(2, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(64))
    model.add(layers.Activation("relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(1))
    model.add(layers.Activation("sigmoid"))
    return model


def _k2_vae_parts():
    inputs = layers.Input(shape=(784,), name="encoder_input")  # image_size * image_size of mnist
    x = layers.Dense(512, activation="relu")(inputs)
    z_mean = layers.Dense(2, name="z_mean")(x)
    z_log_var = layers.Dense(2, name="z_log_var")(x)

    def sampling(args):  # K.random_normal / K.exp: keras.random.normal / keras.ops.exp
        m, lv = args
        return m + ops.exp(0.5 * lv) * keras.random.normal(ops.shape(m))

    z = layers.Lambda(sampling, output_shape=(2,), name="z")([z_mean, z_log_var])
    encoder = keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")
    latent_inputs = layers.Input(shape=(2,), name="z_sampling")
    x = layers.Dense(512, activation="relu")(latent_inputs)
    decoder = keras.Model(latent_inputs, layers.Dense(784, activation="sigmoid")(x), name="decoder")
    return inputs, encoder, decoder


def k2_vae_mlp_example():
    inputs, encoder, decoder = _k2_vae_parts()
    return keras.Model(inputs, decoder(encoder(inputs)[2]), name="vae_mlp")


def k2_vae_mlp_example_encoder():
    return _k2_vae_parts()[1]


def k2_vae_mlp_example_decoder():
    return _k2_vae_parts()[2]


def k2_tokenizer_embedding():
    model = keras.Sequential()
    model.add(layers.Input((120,)))  # input_length=max_length
    # set: vocab_size=8000 (len(t.word_index) + 1 at run time); weights= only sets values
    model.add(layers.Embedding(8000, 100, trainable=False))
    model.add(layers.Conv1D(128, 5, activation="relu"))
    model.add(layers.GlobalMaxPooling1D())
    model.add(layers.Dense(10, activation="relu"))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


# --- Keras 1 ---------------------------------------------------------------------------------
# Keras 1 -> Keras 3, the spellings used below:
#   Convolution2D(n, r, c)          Conv2D(n, (r, c))
#   Convolution1D(nb_filter=, filter_length=, subsample_length=)  Conv1D(filters, kernel_size, strides=)
#   border_mode=                    padding=
#   subsample=                      strides=
#   init= / inner_init=             kernel_initializer= / recurrent_initializer= (values only)
#   W_regularizer= / W_constraint=  kernel_regularizer= / kernel_constraint= (no weights added)
#   output_dim=                     units (Dense, GRU, LSTM)
#   input_dim= / input_length=      the input shape: keras.Input
#   dim_ordering='th', or K.set_image_dim_ordering('th')   data_format="channels_first"
#   K.image_dim_ordering() is 'tf' by default: the channels-last branch
#   MaxPooling1D(pool_length=)      MaxPooling1D(pool_size=)
#   LSTM(dropout_W=, dropout_U=)    LSTM(dropout=, recurrent_dropout=) (same weights)
#   GRU                             GRU(reset_after=False): Keras 1's GRU had one bias row
#   Embedding(dropout=)             dropped: it zeroed whole words, no layer and no weights
#   TimeDistributedDense(n)         TimeDistributed(Dense(n))
#   merge([a, b], mode='concat')    concatenate([a, b]); mode='sum' is add([a, b])
#   Merge([seq_a, seq_b])           a functional model over both branches (two Inputs)
#   BatchNormalization(mode=0)      BatchNormalization() (mode 0 is feature-wise: 2C + 2C weights)
#   Model(input=, output=)          Model(inputs, outputs); nb_epoch= is epochs= (training only)


def k1_mnist_cnn():
    model = keras.Sequential()
    model.add(layers.Input((28, 28, 1)))
    model.add(layers.Conv2D(32, (3, 3), padding="valid"))
    model.add(layers.Activation("relu"))
    model.add(layers.Conv2D(32, (3, 3)))
    model.add(layers.Activation("relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2)))
    model.add(layers.Dropout(0.25))
    model.add(layers.Flatten())
    model.add(layers.Dense(128))
    model.add(layers.Activation("relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10))
    model.add(layers.Activation("softmax"))
    return model


def k1_theano_cifar():
    cf = "channels_first"  # K.set_image_dim_ordering('th')
    model = keras.Sequential()
    model.add(layers.Input((3, 32, 32)))
    model.add(layers.Conv2D(32, (3, 3), padding="same", activation="relu", data_format=cf))
    model.add(layers.Dropout(0.2))
    model.add(layers.Conv2D(32, (3, 3), activation="relu", padding="same", data_format=cf))
    model.add(layers.MaxPooling2D(pool_size=(2, 2), data_format=cf))
    model.add(layers.Conv2D(64, (3, 3), activation="relu", padding="same", data_format=cf))
    model.add(layers.MaxPooling2D(pool_size=(2, 2), data_format=cf))
    model.add(layers.Flatten())  # Keras 1 Flatten: no ordering of its own
    model.add(layers.Dense(512, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10, activation="softmax"))  # y_test.shape[1]: cifar10's 10 classes
    return model


def k1_functional_merge():
    user_in = layers.Input(shape=(30,), name="user")
    item_in = layers.Input(shape=(20,), name="item")
    u = layers.Dense(64, activation="relu", kernel_initializer="he_normal", kernel_regularizer=keras.regularizers.l2(1e-5))(user_in)
    i = layers.Dense(64, activation="relu", kernel_initializer="he_normal", kernel_regularizer=keras.regularizers.l2(1e-5))(item_in)
    x = layers.concatenate([u, i], axis=-1)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(32, activation="relu")(x)
    out = layers.Dense(1, activation="sigmoid", name="click")(x)
    return keras.Model([user_in, item_in], out)


def k1_sequential_Merge():
    left_branch = keras.Sequential([layers.Input((784,)), layers.Dense(32)])
    right_branch = keras.Sequential([layers.Input((784,)), layers.Dense(32)])
    a, b = layers.Input((784,)), layers.Input((784,))
    x = layers.Concatenate()([left_branch(a), right_branch(b)])
    x = layers.Dense(10)(x)
    return keras.Model([a, b], layers.Activation("softmax")(x))


def k1_imdb_lstm_dropout():
    model = keras.Sequential()
    model.add(layers.Input((80,)))
    model.add(layers.Embedding(20000, 128))
    model.add(layers.LSTM(128, dropout=0.2, recurrent_dropout=0.2))
    model.add(layers.Dense(1))
    model.add(layers.Activation("sigmoid"))
    return model


def k1_gru_reset_after():
    model = keras.Sequential()
    model.add(layers.Input((30, 40)))
    model.add(layers.GRU(96, return_sequences=True, reset_after=False, kernel_regularizer=keras.regularizers.l2(0.01)))
    model.add(layers.Dropout(0.25))
    model.add(layers.GRU(48, return_sequences=True, reset_after=False))
    model.add(layers.TimeDistributed(layers.Dense(9, activation="softmax")))
    return model


def k1_conv1d_pool_length():
    model = keras.Sequential()
    model.add(layers.Input((400,)))
    model.add(layers.Embedding(5000, 50))
    model.add(layers.Conv1D(250, 3, padding="valid", activation="relu", strides=1))
    model.add(layers.MaxPooling1D(pool_size=2))
    model.add(layers.Conv1D(125, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling1D(pool_size=199))  # pool_length=model.output_shape[1]: 199 steps
    model.add(layers.Flatten())
    model.add(layers.Dense(250))
    model.add(layers.Dropout(0.2))
    model.add(layers.Activation("relu"))
    model.add(layers.Dense(1))
    model.add(layers.Activation("sigmoid"))
    return model


def k1_mlp_output_dim():
    model = keras.Sequential()
    model.add(layers.Input((20,)))
    model.add(layers.Dense(64, kernel_initializer="uniform"))
    model.add(layers.Activation("tanh"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(64, kernel_initializer="uniform"))
    model.add(layers.Activation("tanh"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10, kernel_initializer="uniform"))
    model.add(layers.Activation("softmax"))
    return model


def k1_vgg_subsample():
    cf = "channels_first"
    model = keras.Sequential()
    model.add(layers.Input((3, 64, 64)))
    model.add(layers.ZeroPadding2D((1, 1), data_format=cf))
    model.add(layers.Conv2D(64, (3, 3), activation="relu", strides=(2, 2), data_format=cf))
    model.add(layers.ZeroPadding2D((1, 1), data_format=cf))
    model.add(layers.Conv2D(64, (3, 3), activation="relu", data_format=cf))
    model.add(layers.MaxPooling2D((2, 2), strides=(2, 2), data_format=cf))
    model.add(layers.ZeroPadding2D((1, 1), data_format=cf))
    model.add(layers.Conv2D(128, (3, 3), activation="relu", data_format=cf))
    model.add(layers.ZeroPadding2D((1, 1), data_format=cf))
    model.add(layers.Conv2D(128, (3, 3), activation="relu", data_format=cf))
    model.add(layers.MaxPooling2D((2, 2), strides=(2, 2), data_format=cf))
    # Keras 1's Flatten had no dim_ordering: it flattened the (C, H, W) tensor as it was
    model.add(layers.Flatten())
    model.add(layers.Dense(1024, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(1024, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(200, activation="softmax"))
    return model


def k1_autoencoder_blog():
    input_img = layers.Input(shape=(784,))
    encoded = layers.Dense(32, activation="relu")(input_img)
    decoded = layers.Dense(784, activation="sigmoid")(encoded)
    return keras.Model(input_img, decoded)


def k1_batchnorm_mode():
    cf = "channels_first"
    model = keras.Sequential()
    model.add(layers.Input((1, 28, 28)))
    model.add(layers.Conv2D(16, (5, 5), padding="same", data_format=cf))
    model.add(layers.BatchNormalization(axis=1))
    model.add(layers.Activation("relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2), data_format=cf))
    model.add(layers.Conv2D(32, (5, 5), padding="same", data_format=cf))
    model.add(layers.BatchNormalization(axis=1))
    model.add(layers.Activation("relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2), data_format=cf))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation="softmax"))
    return model


def k1_merge_sum_residual():
    def res_unit(x, dim):
        y = layers.Dense(dim, kernel_initializer="he_normal")(x)
        y = layers.Activation("relu")(layers.BatchNormalization()(y))
        y = layers.Dense(dim, kernel_initializer="he_normal")(y)
        return layers.add([x, y])  # merge([x, y], mode='sum')

    inp = layers.Input(shape=(100,))
    h = layers.Dense(128, activation="relu")(inp)
    for _ in range(3):
        h = res_unit(h, 128)
    return keras.Model(inp, layers.Dense(1, activation="linear")(h))


# --- notebooks -------------------------------------------------------------------------------


def nb_mnist_beginner():
    return keras.Sequential([
        layers.Input((28, 28)),  # Flatten(input_shape=(28, 28))
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def nb_kaggle_digits():
    model = keras.Sequential()
    model.add(layers.Input((28, 28, 1)))
    model.add(layers.Conv2D(filters=32, kernel_size=(5, 5), padding="same", activation="relu"))  # 'Same': Keras 2 lower-cased padding
    model.add(layers.Conv2D(filters=32, kernel_size=(5, 5), padding="same", activation="relu"))
    model.add(layers.MaxPool2D(pool_size=(2, 2)))
    model.add(layers.Dropout(0.25))
    model.add(layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same", activation="relu"))
    model.add(layers.Conv2D(filters=64, kernel_size=(3, 3), padding="same", activation="relu"))
    model.add(layers.MaxPool2D(pool_size=(2, 2), strides=(2, 2)))
    model.add(layers.Dropout(0.25))
    model.add(layers.Flatten())
    model.add(layers.Dense(256, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def nb_timeseries_gru():
    inputs = layers.Input(shape=(120, 3))  # sequence_length = int(720 / 6); len(features) = 3
    x = layers.GRU(32, return_sequences=True)(inputs)
    x = layers.GRU(16)(x)
    x = layers.Dropout(0.2)(x)
    return keras.Model(inputs, layers.Dense(1)(x))


def nb_course_notes_cnn():
    inputs = layers.Input(shape=(32, 32, 3))
    x = layers.Conv2D(32, (3, 3), activation="relu")(inputs)
    x = layers.MaxPooling2D((2, 2))(x)
    x = layers.Conv2D(64, (3, 3), activation="relu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def nb_imdb_bidirectional():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(20000, 128)(inputs)
    x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(64))(x)
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))


# --- folders with sibling imports ------------------------------------------------------------


def sib_unet():
    # train.py: from model import *; unet(input_size=(128, 128, 1), base=32)
    def conv(filters, k=3):
        return layers.Conv2D(filters, k, activation="relu", padding="same", kernel_initializer="he_normal")

    def double(x, filters):  # two convs, made in the program's order (layer names follow it)
        x = conv(filters)(x)
        return conv(filters)(x)

    def down(x, filters):
        c = double(x, filters)
        return c, layers.MaxPooling2D(pool_size=(2, 2))(c)

    def up(x, skip, filters):
        u = layers.Conv2D(filters, 2, activation="relu", padding="same")(layers.UpSampling2D(size=(2, 2))(x))
        m = layers.concatenate([skip, u], axis=3)
        return double(m, filters)

    inputs = layers.Input((128, 128, 1))
    c1, p1 = down(inputs, 32)
    c2, p2 = down(p1, 64)
    c3, p3 = down(p2, 128)
    b = layers.Dropout(0.5)(layers.Conv2D(256, 3, activation="relu", padding="same")(p3))
    u1 = up(up(up(b, c3, 128), c2, 64), c1, 32)
    return keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(u1))


def sib_blocks():
    def conv_bn_relu(x, filters, strides, name):
        x = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False, name=name + "_conv")(x)
        x = layers.BatchNormalization(name=name + "_bn")(x)
        return layers.ReLU(name=name + "_relu")(x)

    def dw_separable(x, filters, strides=1):
        x = layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False)(x)
        x = layers.ReLU(6.0)(layers.BatchNormalization()(x))
        x = layers.Conv2D(filters, 1, use_bias=False)(x)
        return layers.ReLU(6.0)(layers.BatchNormalization()(x))

    inputs = keras.Input(shape=(96, 96, 3))
    x = conv_bn_relu(inputs, 16, 2, "stem")
    for filters, stride in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1)]:
        x = dw_separable(x, int(filters * 0.5), strides=stride)
    x = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(x))
    outputs = layers.Dense(4, activation="softmax", name="logits")(x)
    return keras.Model(inputs, outputs, name="mobilenet_half")


def sib_yolo():
    # train.py: tiny_yolo_body(image_input, num_anchors // 2, num_classes); set: num_anchors=6
    # (tiny_yolo_anchors.txt), num_classes=20 (voc_classes.txt)
    # keras.layers.advanced_activations / keras.layers.normalization: Keras 2 module paths
    def dconv(*args, **kwargs):
        kw = {"kernel_regularizer": keras.regularizers.l2(5e-4),
              "padding": "valid" if kwargs.get("strides") == (2, 2) else "same"}
        kw.update(kwargs)
        return layers.Conv2D(*args, **kw)

    def dbl(x, *args):
        x = dconv(*args, use_bias=False)(x)
        return layers.LeakyReLU(negative_slope=0.1)(layers.BatchNormalization()(x))  # alpha=: Keras 2's name

    def pool(x, s=2):
        return layers.MaxPooling2D(pool_size=(2, 2), strides=(s, s), padding="same")(x)

    inputs = layers.Input(shape=(None, None, 3))
    x1 = dbl(pool(dbl(pool(dbl(pool(dbl(pool(dbl(inputs, 16, (3, 3))), 32, (3, 3))), 64, (3, 3))), 128, (3, 3))), 256, (3, 3))
    x2 = dbl(dbl(pool(dbl(pool(x1), 512, (3, 3)), 1), 1024, (3, 3)), 256, (1, 1))
    y1 = dbl(x2, 512, (3, 3))
    y1 = dconv(3 * 25, (1, 1))(y1)  # made after the block's conv, as compose() does
    x2 = layers.UpSampling2D(2)(dbl(x2, 128, (1, 1)))
    y2 = dbl(layers.Concatenate()([x2, x1]), 256, (3, 3))
    y2 = dconv(3 * 25, (1, 1))(y2)
    return keras.Model(inputs, [y1, y2])


class _PositionalScale(layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(input_shape[1], input_shape[2]), initializer="ones")

    def call(self, x):
        return x * self.scale

    def compute_output_shape(self, input_shape):
        return input_shape


def sib_pkg():
    # run.py: build_classifier(num_classes=4) with mynet/config.py's SEQ_LEN=64, VOCAB=8000, EMBED_DIM=48
    inputs = layers.Input(shape=(64,), dtype="int32")
    x = layers.Embedding(8000, 48)(inputs)
    x = _PositionalScale(name="positional_scale")(x)
    x = layers.Conv1D(64, 5, activation="relu", padding="same")(x)
    x = layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, layers.Dense(4, activation="softmax")(x), name="text_cnn")


# --- issue 23: which model, custom shapes, era signatures, activations, Lambda, isolation -------


def tfk_which_model_fit():
    # vae (fitted in the else: of `if args.weights:`, default None); probe is built after it
    inputs = keras.Input(shape=(784,), name="encoder_input")
    h = layers.Dense(64, activation="relu")(inputs)
    z_mean = layers.Dense(2, name="z_mean")(h)
    z_log_var = layers.Dense(2, name="z_log_var")(h)
    encoder = keras.Model(inputs, [z_mean, z_log_var, z_mean], name="encoder")
    latent_inputs = keras.Input(shape=(2,), name="z_sampling")
    d = layers.Dense(64, activation="relu")(latent_inputs)
    decoder = keras.Model(latent_inputs, layers.Dense(784, activation="sigmoid")(d), name="decoder")
    return keras.Model(inputs, decoder(encoder(inputs)[2]), name="vae_mlp")


class _Doubler(layers.Layer):
    def call(self, x):
        return ops.concatenate([x, x], axis=-1)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[-1] *= 2
        return tuple(shape)


class _Pairs(layers.Layer):
    def call(self, x):
        return ops.reshape(x, (-1, x.shape[1] // 2, 2 * x.shape[-1]))

    def compute_output_shape(self, input_shape):
        batch, steps, features = input_shape
        return (batch, steps // 2, features * 2)


def tfk_custom_output_shape():
    inp = keras.Input((12, 8))
    x = _Doubler(name="doubler")(inp)
    x = _Pairs(name="pairs")(x)
    x = layers.LSTM(16)(x)
    return keras.Model(inp, layers.Dense(3, activation="softmax")(x))


def k2_conv_legacy_positional():
    # Conv2D(8, 5, 5, border_mode="valid"): Keras 2's legacy interface read (5, 5) as the kernel
    return keras.Sequential([
        layers.Input((28, 28, 1)),
        layers.Conv2D(8, (5, 5), padding="valid", activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(16, (3, 3), padding="same", activation="relu"),  # Conv2D(16, 3, 3, border_mode="same")
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])


def tfk_activation_objects():
    def relu6(x):
        return ops.relu6(x)

    def mish(x):
        return x * ops.tanh(ops.softplus(x))

    def hard_swishy(x):
        return x * ops.relu6(x + 3.0) / 6.0

    return keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(16, 3, activation=layers.LeakyReLU(0.2)),
        layers.Conv2D(16, 3, activation=relu6),
        layers.GlobalAveragePooling2D(),
        layers.Dense(32, activation=hard_swishy),
        layers.Dense(16, activation=mish),
        layers.Dense(4, activation="softmax"),
    ])


def tfk_lambda_sequential():
    # the program's first model (text) is built first: it takes the names lambda, conv1d, dense
    text = keras.Sequential([layers.Embedding(5000, 32), layers.Conv1D(64, 3, activation="relu"),
                             layers.Lambda(lambda x: ops.max(x, axis=1), output_shape=(64,)),
                             layers.Dense(1, activation="sigmoid")])
    text.build((None, 100))
    return keras.Sequential([
        layers.Input((64, 64, 3)),  # Lambda(..., input_shape=(64, 64, 3)) as the first layer
        layers.Lambda(lambda x: x / 255.0 - 0.5),
        layers.Conv2D(8, 5, strides=2, activation="relu"),
        layers.Lambda(lambda x: ops.mean(x, axis=[1, 2])),
        layers.Dense(2),
    ])


def tfk_fault_isolation():
    layers.Dense(8)  # the first experiment's Dense takes the name dense (its TFSMLayer is not read)
    keras.Input((16,))
    inputs = keras.Input((20,))
    x = layers.Dense(32, activation="relu")(inputs)
    x = layers.Dropout(0.1)(x)
    return keras.Model(inputs, layers.Dense(1)(x), name="final")


def k3_dict_outputs():
    title = keras.Input((12,), name="title")
    body = keras.Input((30,), name="body")
    x = layers.Concatenate()([title, body])
    x = layers.Dense(16, activation="relu")(x)
    priority = layers.Dense(1, name="priority")(x)
    department = layers.Dense(4, activation="softmax", name="department")(x)
    return keras.Model({"title": title, "body": body}, {"priority": priority, "department": department})


class _MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]


def tfk_custom_rnn_cell():
    return keras.Sequential([
        keras.Input((10, 5)),
        layers.RNN([_MinimalRNNCell(32), _MinimalRNNCell(8)], return_sequences=True),
        layers.RNN(_MinimalRNNCell(4)),
        layers.Dense(1),
    ])


class _WSConv2D(layers.Conv2D):
    def call(self, inputs):
        mean = ops.mean(self.kernel, axis=[0, 1, 2], keepdims=True)
        var = ops.var(self.kernel, axis=[0, 1, 2], keepdims=True)
        return self.convolution_op(inputs, (self.kernel - mean) / ops.sqrt(var + 1e-10))


def tfk_conv_subclass_op():
    inp = keras.Input((32, 32, 3))
    x = _WSConv2D(8, 3, padding="same", name="ws_conv2d")(inp)
    x = layers.Conv2D(16, 3, strides=2)(x)
    x = _WSConv2D(16, 3, use_bias=False, name="ws_conv2d_1")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, layers.Dense(2)(x))


def rw_fit_then_encoder_view():
    # the autoencoder (trained) is the model to report; the encoder view is built after it
    inp = keras.Input(shape=(48,))
    h = layers.Dense(24, activation="relu")(inp)
    bottleneck = layers.Dense(3, name="bottleneck")(h)
    h = layers.Dense(24, activation="relu")(bottleneck)
    reconstruction = layers.Dense(48, activation="sigmoid")(h)
    autoencoder = keras.Model(inp, reconstruction)
    keras.Model(inp, bottleneck)  # encoder
    return autoencoder


def rw_gan_class_combined():
    # TinyGAN(): discriminator, generator, then combined = generator + frozen discriminator
    disc_body = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(32), layers.LeakyReLU(0.2),
                                  layers.Dense(1, activation="sigmoid")])
    x = keras.Input(shape=(16,))
    discriminator = keras.Model(x, disc_body(x))
    gen_body = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(32), layers.LeakyReLU(0.2),
                                 layers.BatchNormalization(momentum=0.8),
                                 layers.Dense(16, activation="tanh")])
    z = keras.Input(shape=(4,))
    generator = keras.Model(z, gen_body(z))
    z = keras.Input(shape=(4,))
    discriminator.trainable = False
    return keras.Model(z, discriminator(generator(z)))


def k2_batch_input_shape():
    # Keras 2's batch_input_shape=(16, 12, 2) on the first layer is Keras 3's Input(batch_shape=...)
    return keras.Sequential([
        keras.Input(batch_shape=(16, 12, 2)),
        layers.LSTM(20, return_sequences=True, stateful=True),
        layers.TimeDistributed(layers.Dense(1)),
    ])


def k2_avgpool_default():
    return keras.Sequential([
        keras.Input(shape=(32, 32, 3)),  # cifar10's x_train.shape[1:]
        layers.Conv2D(16, (3, 3), padding="same", activation="relu"),
        layers.AveragePooling2D(pool_size=(2, 2)),  # Keras 2's default pool_size
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])


def rw_cfg_static_builder():
    # Backbone(CONFIGS["L"]): the loop over [16, 16, "M", 32, 32, "M", 64, "M"]
    inputs = keras.Input(shape=(32, 32, 1), name="x")
    x = inputs
    for item in [16, 16, "M", 32, 32, "M", 64, "M"]:
        if item == "M":
            x = layers.MaxPooling2D()(x)
        else:
            x = layers.Conv2D(item, kernel_size=3, padding="same")(x)
            x = layers.BatchNormalization()(x)
            x = layers.Activation("relu")(x)
    return keras.Model(inputs, x, name="backbone")


def rw_sys_path_parent_lib():
    # chapter/wgan_train.py with ../shared/nets.py: adversarial = generator + frozen critic
    c_in = keras.Input(shape=(20,))
    c = layers.Dense(1)(layers.LeakyReLU(0.2)(layers.Dense(64)(c_in)))
    critic = keras.Model(c_in, c, name="critic")
    gen_in = keras.Input(shape=(5,))
    g = layers.Dense(20, activation="tanh")(layers.Dense(64, activation="relu")(gen_in))
    generator = keras.Model(gen_in, g, name="generator")
    critic.trainable = False
    return keras.Model(gen_in, critic(generator(gen_in)), name="adversarial")


def tfk_module_attribute_model():
    # tf.model = tf.keras.Sequential(): the model bound to an attribute of the tensorflow module
    return keras.Sequential([
        keras.Input(shape=(4,)),  # Dense(units=8, input_dim=4)
        layers.Dense(8, activation="relu"),
        layers.Dense(3, activation="softmax"),
    ])


def nb_inspect_weights_loop():
    # the loop over model.layers after fit only reads weights: it changes no model
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def tfk_config_attr_input():
    # config.look_back = 4 on the tracker's config: input_shape=(4, 1)
    return keras.Sequential([
        keras.Input(shape=(4, 1)),
        layers.SimpleRNN(5),
        layers.Dense(1, activation="sigmoid"),
    ])


class _Block(layers.Layer):
    def __init__(self, channels, strides=1, project=False, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(channels, 3, strides=strides, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(channels, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.project = layers.Conv2D(channels, 1, strides=strides) if project else None

    def call(self, x, training=None):
        y = ops.relu(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        shortcut = self.project(x) if self.project is not None else x
        return ops.relu(y + shortcut)


class _ResNet(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stem = layers.Conv2D(8, 3, padding="same")
        self.blocks = keras.Sequential(name="blocks")
        # stages=2, blocks_per_stage=2, width=8: Block(8), Block(8), Block(16, 2, project), Block(16)
        for block in (_Block(8), _Block(8), _Block(16, strides=2, project=True), _Block(16)):
            self.blocks.add(block)
        self.pool = layers.GlobalAveragePooling2D()
        self.fc = layers.Dense(10)

    def call(self, inputs, training=None):
        x = self.stem(inputs)
        x = self.blocks(x, training=training)
        return self.fc(self.pool(x))


def tfk_subclass_sequential_blocks():
    model = _ResNet(name="res_net")
    # the program's build(input_shape=...) marks the model built without building its blocks;
    # its fit() then calls the model on a batch: a symbolic call builds it the same way
    model(keras.Input(shape=(32, 32, 3)))
    return model


class _SimpleDense(layers.Layer):
    def __init__(self, units=32, activation=None):
        super().__init__()
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(name="kernel", shape=(input_shape[-1], self.units), initializer="random_normal")
        self.b = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.w) + self.b)


def tfk_custom_layer_stored_activation():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),  # Flatten(input_shape=(28, 28))
        layers.Flatten(),
        _SimpleDense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def k2_mixed_era_conv():
    # Convolution2D(filters, (3, 3), W_regularizer=...) is Keras 2's Conv2D with a Keras 1 alias
    def conv_bn(x, filters):
        x = layers.Conv2D(filters, (3, 3), padding="same", kernel_initializer="he_normal",
                          kernel_regularizer=keras.regularizers.l2(0.0005), use_bias=False)(x)
        x = layers.BatchNormalization(axis=-1)(x)
        return layers.Activation("relu")(x)

    ip = keras.Input(shape=(32, 32, 3))
    x = conv_bn(ip, 16)
    x = conv_bn(x, 16)
    x = layers.MaxPooling2D((2, 2))(x)
    x = conv_bn(x, 32)
    x = layers.Flatten()(x)
    return keras.Model(ip, layers.Dense(10, activation="softmax")(x))


class _ExpertsModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, activation="relu")
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(128, activation="relu")
        self.d2 = layers.Dense(10)

    def call(self, x):
        return self.d2(self.d1(self.flatten(self.conv1(x))))


def tfd_experts_loop():
    model = _ExpertsModel()
    model(keras.Input((28, 28, 1)))  # built by model(images) on the first batch: mnist (28, 28)[..., None]
    return model


def tfd_tfds_rock_paper():
    # the images resized to (150, 150) in the map; 3 classes (catalog: rock_paper_scissors)
    return keras.Sequential([
        keras.Input((150, 150, 3)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(128, activation="relu"),
        layers.Dense(3, activation="softmax"),
    ])


def cfg_json_mlp():
    # config.json beside the program: 30 features, hidden [128, 64, 32] with batch norm, 4 classes
    inputs = keras.Input(shape=(30,), name="features")
    x = inputs
    for i, units in enumerate([128, 64, 32]):
        x = layers.Dense(units, activation="elu", name=f"hidden_{i}")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Dropout(0.25)(x)
    return keras.Model(inputs, layers.Dense(4, activation="softmax")(x))


def rw_gan_tape_data_loop():
    # TinyGAN(7, 7).discriminator: the model whose GradientTape update comes last in train_step
    body = keras.Sequential([keras.Input(shape=(7, 7, 1)), layers.Conv2D(16, 3, strides=2, padding="same"),
                             layers.LeakyReLU(0.2), layers.Flatten(), layers.Dense(1)])
    img = keras.Input(shape=(7, 7, 1))
    return keras.Model(img, body(img))


def rw_composable_base_class():
    # TinyResNet(groups): convolutions without bias (bias=False through super().__init__); group 1
    # (8 filters, stride 1, one identity block), group 2 (16 filters, stride 2, two identity blocks)
    def conv(x, n, k, strides=(1, 1), padding="valid"):
        return layers.Conv2D(n, k, strides=strides, padding=padding, use_bias=False)(x)

    def group(x, n, blocks, strides):
        shortcut = conv(x, n, (1, 1), strides=strides)
        y = conv(layers.BatchNormalization()(x), n, (3, 3), strides=strides, padding="same")
        x = layers.Add()([shortcut, y])
        for _ in range(blocks):
            y = conv(layers.BatchNormalization()(x), n, (3, 3), padding="same")
            x = layers.Add()([x, y])
        return x

    inputs = keras.Input((16, 16, 3))
    x = conv(inputs, 8, (3, 3), padding="same")
    x = group(x, 8, 1, (1, 1))
    x = group(x, 16, 2, (2, 2))
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Activation("softmax")(layers.Dense(10)(x))
    return keras.Model(inputs, outputs)


def rw_transfer_inner_layer():
    # InceptionV3(150x150, no top) frozen, cut at mixed7, Flatten-Dense(1024)-Dropout-Dense(1),
    # behind a RandomFlip/RandomZoom augmentation model
    base = keras.applications.InceptionV3(input_shape=(150, 150, 3), include_top=False, weights=None)
    base.trainable = False
    x = layers.Flatten()(base.get_layer("mixed7").output)
    x = layers.Dense(1024, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(base.input, x)
    augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomZoom(0.2)])
    inputs = keras.Input(shape=(150, 150, 3))
    return keras.Model(inputs, model(augment(inputs)))


def rw_param_shadows_builder():
    # adversarial = generator(4 -> 16 -> 8) then the frozen discriminator(8 -> 16 -> 1)
    z = keras.Input(shape=(4,))
    gen = keras.Model(z, layers.Dense(8, activation="tanh")(layers.Dense(16, activation="relu")(z)),
                      name="generator")
    img = keras.Input(shape=(8,))
    disc = keras.Model(img, layers.Dense(1, activation="sigmoid")(layers.Dense(16, activation="relu")(img)),
                       name="discriminator")
    disc.trainable = False
    z2 = keras.Input(shape=(4,))
    return keras.Model(z2, disc(gen(z2)), name="adversarial")
