# a model whose sizes come from data archcalc cannot see: symbols flow, rules skip them
import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

df = pd.read_csv("data.csv")
x_train = df.drop("label", axis=1).values.reshape(-1, 32, 32, 3)
y_train = df["label"].values
n_features = x_train.shape[1]
n_classes = len(np.unique(y_train))
model = keras.Sequential([
    layers.Conv2D(n_features, 3, activation='relu', input_shape=(32, 32, 3)),
    layers.MaxPooling2D(2),
    layers.Conv2D(n_features // 2, 3, activation='relu'),
    layers.Flatten(),
    layers.Dense(n_features * 4, activation='relu', kernel_initializer='zeros'),  # lint-expect: AC309
    layers.Dense(n_classes, activation='softmax'),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=n_features), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=n_features, epochs=n_classes)
