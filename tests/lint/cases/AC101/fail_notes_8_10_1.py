# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# The course notes' first Sequential example, as written there.
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(10, activation='relu', input_shape=(8,)))
model.add(Dense(1, activation='sigmoid'))

model.compile(optimizer='adam', loss='categorical_crossentropy',  # lint-expect: AC101
              metrics=['accuracy'])
model.fit(X_train, y_train, epochs=5, batch_size=128)
