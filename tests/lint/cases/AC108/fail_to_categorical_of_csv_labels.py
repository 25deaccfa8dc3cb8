import pandas as pd
from tensorflow import keras
from tensorflow.keras.utils import to_categorical

train = pd.read_csv("train.csv")
X = train.drop("label", axis=1).values / 255.0
y = to_categorical(train["label"].values, num_classes=10)
model = keras.Sequential([
    keras.layers.Dense(256, activation="relu", input_shape=(784,)),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])  # lint-expect: AC108
model.fit(X, y, epochs=10, batch_size=128)
