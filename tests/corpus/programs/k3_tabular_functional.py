"""Churn prediction from a CSV file with the Keras 3 functional API."""
import pandas as pd
import numpy as np
import keras
from keras import layers
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data/churn.csv")
df = df.dropna()
y = df.pop("Exited").values
X = pd.get_dummies(df.drop(columns=["RowNumber", "CustomerId", "Surname"])).values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

n_features = X_train.shape[1]
print("features:", n_features)

inputs = keras.Input(shape=(n_features,), name="features")
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dropout(0.2)(x)
x = layers.Dense(32, activation="relu")(x)
x = layers.BatchNormalization()(x)
outputs = layers.Dense(1, activation="sigmoid", name="churn")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="churn_mlp")

model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=["accuracy", keras.metrics.AUC(name="auc")])
model.summary()

class_weight = {0: 1.0, 1: float((y_train == 0).sum() / max((y_train == 1).sum(), 1))}
history = model.fit(X_train, y_train, epochs=50, batch_size=64,
                    validation_data=(X_test, y_test), class_weight=class_weight, verbose=2)

loss, acc, auc = model.evaluate(X_test, y_test)
print("loss %.3f acc %.3f auc %.3f" % (loss, acc, auc))
pred = (model.predict(X_test) > 0.5).astype(int).ravel()
print("positives predicted:", pred.sum(), "of", len(pred))
