"""Layer sizes from an experiment tracker's config, given as a dict to wandb.init().

Written for the real-program corpus (issue 23, second set): wandb.config holds the dict given to wandb.init(config=...).
"""
import tensorflow as tf
import wandb

wandb.init(project="demo", config={"layer_1": 64, "activation_1": "relu", "dropout": 0.2,
                                   "layer_2": 10, "batch_size": 128})
config = wandb.config

(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(config.layer_1, activation=config.activation_1),
    tf.keras.layers.Dropout(config.dropout),
    tf.keras.layers.Dense(config.layer_2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=config.batch_size)
