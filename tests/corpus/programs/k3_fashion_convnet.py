"""Fashion-MNIST classifier, Keras 3 style.

Trains a small convnet with batch normalisation and plots the learning curves.
"""
import numpy as np
import keras
from keras import layers
import matplotlib.pyplot as plt

CLASS_NAMES = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
num_classes = len(CLASS_NAMES)

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
# conv layers want a channel axis
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
print("train:", x_train.shape, "test:", x_test.shape)

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

input_shape = x_train.shape[1:]

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(128, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.3),
        layers.Dense(num_classes, activation="softmax"),
    ],
    name="fashion_cnn",
)
model.summary()

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
callbacks = [
    keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
    keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True),
]
history = model.fit(x_train, y_train, batch_size=128, epochs=20,
                    validation_split=0.1, callbacks=callbacks)

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {test_acc:.4f}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.plot(history.history["loss"], label="train")
ax1.plot(history.history["val_loss"], label="val")
ax1.set_title("loss")
ax1.legend()
ax2.plot(history.history["accuracy"], label="train")
ax2.plot(history.history["val_accuracy"], label="val")
ax2.set_title("accuracy")
plt.show()

# a few predictions
probs = model.predict(x_test[:16])
for i, p in enumerate(probs):
    guess = CLASS_NAMES[int(np.argmax(p))]
    truth = CLASS_NAMES[int(np.argmax(y_test[i]))]
    if guess == truth:
        continue
    print(f"sample {i}: predicted {guess}, was {truth}")
