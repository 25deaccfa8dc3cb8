from tensorflow import keras
from tensorflow.keras import layers

train_ds = keras.utils.image_dataset_from_directory("data/train", image_size=(64, 64), batch_size=32,
                                                    label_mode="categorical")
train_ds = train_ds.map(lambda x, y: (x / 255.0, y)).prefetch(2)
model = keras.Sequential([layers.Conv2D(8, 3, activation="relu"), layers.Flatten(), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train_ds, epochs=5)
