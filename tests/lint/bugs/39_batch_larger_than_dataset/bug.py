# Bug report: iris: one update per epoch (batch_size=500 on 150 samples)
from sklearn.datasets import load_iris
from tensorflow import keras

X, y = load_iris(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(8, activation='relu', input_shape=(4,)),
                          keras.layers.Dense(3, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(X, y, batch_size=500, epochs=200)  # lint-expect: AC402
