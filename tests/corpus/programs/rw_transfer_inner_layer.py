"""Transfer learning from an inner layer, as several courses teach it: a frozen InceptionV3 without
its top, cut at 'mixed7', with a small classifier on top, trained behind an augmentation model."""
import tensorflow as tf

pre_trained_model = tf.keras.applications.inception_v3.InceptionV3(
    input_shape=(150, 150, 3), include_top=False, weights=None)
for layer in pre_trained_model.layers:
    layer.trainable = False

last_layer = pre_trained_model.get_layer('mixed7')
print('last layer output shape: ', last_layer.output.shape)
last_output = last_layer.output

x = tf.keras.layers.Flatten()(last_output)
x = tf.keras.layers.Dense(1024, activation='relu')(x)
x = tf.keras.layers.Dropout(0.2)(x)
x = tf.keras.layers.Dense(1, activation='sigmoid')(x)
model = tf.keras.Model(pre_trained_model.input, x)

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal"), tf.keras.layers.RandomZoom(0.2)])
inputs = tf.keras.Input(shape=(150, 150, 3))
model_with_aug = tf.keras.Model(inputs, model(augment(inputs)))
model_with_aug.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])
model_with_aug.fit(train_dataset, epochs=20)
