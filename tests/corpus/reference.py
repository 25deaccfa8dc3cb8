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
