"""Retrain the tiny YOLO model for your own dataset."""
import numpy as np
import keras.backend as K
from keras.layers import Input
from keras.optimizers import Adam
from keras.callbacks import TensorBoard, ModelCheckpoint, ReduceLROnPlateau, EarlyStopping

from model import tiny_yolo_body


def get_classes(classes_path):
    with open(classes_path) as f:
        class_names = f.readlines()
    class_names = [c.strip() for c in class_names]
    return class_names


def get_anchors(anchors_path):
    with open(anchors_path) as f:
        anchors = f.readline()
    anchors = [float(x) for x in anchors.split(',')]
    return np.array(anchors).reshape(-1, 2)


annotation_path = 'train.txt'
log_dir = 'logs/000/'
class_names = get_classes('model_data/voc_classes.txt')
num_classes = len(class_names)
anchors = get_anchors('model_data/tiny_yolo_anchors.txt')
num_anchors = len(anchors)

image_input = Input(shape=(None, None, 3))
model_body = tiny_yolo_body(image_input, num_anchors // 2, num_classes)
print('Create Tiny YOLOv3 model with {} anchors and {} classes.'.format(num_anchors, num_classes))

model_body.compile(optimizer=Adam(lr=1e-3), loss='mse')
logging = TensorBoard(log_dir=log_dir)
checkpoint = ModelCheckpoint(log_dir + 'ep{epoch:03d}.h5', monitor='val_loss', save_weights_only=True,
                             save_best_only=True, period=3)
with open(annotation_path) as f:
    lines = f.readlines()
np.random.seed(10101)
np.random.shuffle(lines)
num_val = int(len(lines) * 0.1)
num_train = len(lines) - num_val
print('Train on {} samples, val on {} samples.'.format(num_train, num_val))
