import numpy as np
import pandas as pd
from keras.layers import Dense
from keras.models import Sequential

data = pd.read_csv("measurements.csv")
X = data.drop(columns=["label"]).values
y = data["label"].values
n_features = X.shape[1]
num_classes = len(np.unique(y))

model = Sequential()
model.add(Dense(n_features * 2, input_dim=n_features, activation="relu"))
model.add(Dense(num_classes, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=10)
