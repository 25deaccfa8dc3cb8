import numpy as np
import keras as k
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()
X = digits.data / 16.0
y = k.utils.to_categorical(digits.target)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=digits.target)

model = k.models.Sequential()
model.add(k.layers.Dense(64, activation='relu', input_shape=(X.shape[1],)))
model.add(k.layers.Dropout(0.1))
model.add(k.layers.Dense(32, activation='relu'))
model.add(k.layers.Dense(y.shape[1], activation='softmax'))

model.compile(loss='categorical_crossentropy', optimizer=k.optimizers.Adam(learning_rate=0.005),
              metrics=['accuracy'])
model.summary()
hist = model.fit(X_train, y_train, epochs=60, batch_size=32, validation_data=(X_test, y_test), verbose=0)
print('best val acc', max(hist.history['val_accuracy']))
loss, acc = model.evaluate(X_test, y_test, verbose=0)
wrong = np.argmax(model.predict(X_test), axis=1) != np.argmax(y_test, axis=1)
print(f'{wrong.sum()} wrong of {len(wrong)}; accuracy {acc:.3f}')
