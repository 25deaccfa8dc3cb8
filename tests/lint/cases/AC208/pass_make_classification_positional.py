import keras
from sklearn.datasets import make_classification, make_regression

X, y = make_classification(800, 40, n_classes=3, n_informative=5)
R, t = make_regression(500, 12, n_targets=2)
clf = keras.Sequential([keras.Input((40,)), keras.layers.Dense(3, activation='softmax')])
clf.compile('adam', 'sparse_categorical_crossentropy')
clf.fit(X, y, epochs=2)
