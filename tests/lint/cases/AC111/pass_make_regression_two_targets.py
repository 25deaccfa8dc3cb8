import keras
from sklearn.datasets import make_regression

R, t = make_regression(500, 12, n_targets=2)
reg = keras.Sequential([keras.Input((12,)), keras.layers.Dense(2)])
reg.compile('adam', 'mse')
reg.fit(R, t, epochs=2)
