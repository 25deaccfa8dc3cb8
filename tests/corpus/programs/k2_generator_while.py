import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, BatchNormalization
from keras.optimizers import Adam
from keras.callbacks import EarlyStopping

N_FEATURES = 24
N_CLASSES = 5


def batch_generator(batch_size=64):
    """Endless stream of synthetic samples, like a generator over files on disk."""
    centers = np.random.randn(N_CLASSES, N_FEATURES)
    while True:
        labels = np.random.randint(0, N_CLASSES, size=batch_size)
        x = centers[labels] + 0.5 * np.random.randn(batch_size, N_FEATURES)
        y = np.eye(N_CLASSES)[labels]
        yield x, y


model = Sequential()
model.add(Dense(128, input_dim=N_FEATURES, activation='relu'))
model.add(BatchNormalization())
model.add(Dropout(0.3))
model.add(Dense(64, activation='relu'))
model.add(Dense(N_CLASSES, activation='softmax'))
model.compile(optimizer=Adam(lr=0.001), loss='categorical_crossentropy', metrics=['acc'])

history = model.fit_generator(batch_generator(64), steps_per_epoch=200, epochs=30,
                              validation_data=batch_generator(256), validation_steps=10,
                              callbacks=[EarlyStopping(monitor='val_loss', patience=3)])
i = 0
losses = []
gen = batch_generator(32)
while i < 10:
    xb, yb = next(gen)
    loss, acc = model.evaluate(xb, yb, verbose=0)
    losses.append(loss)
    i += 1
print(np.mean(losses), history.history['acc'][-1])
