# Keras 1's GRU: reset_after=False semantics (3u(n+u+1) weights), reported as a number change.
from keras.layers import GRU, Dense, Embedding
from keras.models import Sequential

model = Sequential()
model.add(Embedding(5000, 32, input_length=80))
model.add(GRU(64, dropout_W=0.2, dropout_U=0.2))  # lint-expect: AC601
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
