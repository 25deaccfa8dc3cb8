# Bug report: iris with 3 species but the output has 2 units
from sklearn.datasets import load_iris
from tensorflow import keras

X, y = load_iris(return_X_y=True)
model = keras.Sequential([
    keras.layers.Dense(10, activation='relu', input_shape=(4,)),
    keras.layers.Dense(2, activation='softmax'),  # lint-expect: AC109
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(X, y, epochs=100, batch_size=8)
