"""A MobileNet-v1-like classifier for 96x96 images, assembled from blocks.py."""
import tensorflow as tf
import blocks

NUM_CLASSES = 4
ALPHA = 0.5


def build(input_shape=(96, 96, 3), alpha=ALPHA):
    inputs = tf.keras.Input(shape=input_shape)
    x = blocks.conv_bn_relu(inputs, int(32 * alpha), strides=2, name="stem")
    for filters, stride in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1)]:
        x = blocks.dw_separable(x, int(filters * alpha), strides=stride)
    outputs = blocks.classifier_head(x, NUM_CLASSES)
    return tf.keras.Model(inputs, outputs, name="mobilenet_half")


model = build()
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

if __name__ == "__main__":
    model.summary()
    train_ds = tf.keras.utils.image_dataset_from_directory("images", image_size=(96, 96), label_mode="categorical")
    model.fit(train_ds, epochs=20)
