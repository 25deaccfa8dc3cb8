"""The course notes' Sequential example: 8 features -> Dense(10, relu) -> Dense(1, sigmoid).

NOTE: the bug is kept on purpose. The notes compile a single sigmoid unit with
categorical_crossentropy; with one output unit that loss is always 0 and the model learns
nothing. binary_crossentropy is the right loss here (`archcalc lint` flags it).
"""
from keras.layers import Dense
from keras.models import Sequential

model = Sequential()
model.add(Dense(10, activation='relu', input_shape=(8,)))
model.add(Dense(1, activation='sigmoid'))

model.compile(optimizer='adam', loss='categorical_crossentropy',  # bug kept from the notes
              metrics=['accuracy'])
model.fit(X_train, y_train, epochs=5, batch_size=128)  # noqa: F821  (data not part of the snippet)
