import numpy as np
import pandas as pd
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.utils import to_categorical
import matplotlib.pyplot as plt

iris = load_iris()
X, y = iris.data, iris.target
n_classes = len(np.unique(y))
X = StandardScaler().fit_transform(X)
y_cat = to_categorical(y, n_classes)
X_train, X_test, y_train, y_test = train_test_split(X, y_cat, test_size=0.2, random_state=2)
n_features = X.shape[1]

model = Sequential(name='iris')
model.add(Dense(16, input_dim=n_features, activation='relu'))
model.add(Dense(12, activation='relu'))
model.add(Dense(n_classes, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(X_train, y_train, batch_size=5, epochs=100, verbose=0, validation_data=(X_test, y_test))

loss, accuracy = model.evaluate(X_test, y_test, verbose=0)
print("Test loss {:.4f}, accuracy {:.2f}%".format(loss, accuracy * 100))
pd.DataFrame(history.history).plot(figsize=(8, 5))
plt.grid(True)
plt.gca().set_ylim(0, 1)
plt.show()
