import tensorflow as tf
from tensorflow.keras import layers

from .layers import PositionalScale
from . import config


def build_classifier(num_classes=config.NUM_CLASSES, seq_len=config.SEQ_LEN, vocab=config.VOCAB):
    inputs = layers.Input(shape=(seq_len,), dtype="int32")
    x = layers.Embedding(vocab, config.EMBED_DIM)(inputs)
    x = PositionalScale()(x)
    x = layers.Conv1D(64, 5, activation="relu", padding="same")(x)
    x = layers.GlobalMaxPooling1D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return tf.keras.Model(inputs, outputs, name="text_cnn")
