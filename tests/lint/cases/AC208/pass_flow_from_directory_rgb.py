from tensorflow.keras import layers, models
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_gen = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True)
train = train_gen.flow_from_directory("data/train", target_size=(128, 128), batch_size=16, class_mode="binary")
model = models.Sequential([
    layers.Conv2D(16, 3, activation="relu", input_shape=(128, 128, 3)),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train, epochs=5)
