import keras
import pandas as pd
from sklearn.datasets import load_iris
from sklearn.preprocessing import LabelEncoder

iris = load_iris()
codes = LabelEncoder().fit_transform(iris.target)
onehot = pd.get_dummies(codes).values
m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation='relu'),
                      keras.layers.Dense(onehot.shape[1], activation='softmax')])
m.compile(optimizer='adam', loss='categorical_crossentropy')
m.fit(iris.data, onehot, epochs=5)
