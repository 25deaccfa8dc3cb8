"""Train the text classifier from the mynet package."""
import argparse

import numpy as np

from mynet.models import build_classifier

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()

model = build_classifier(num_classes=4)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = np.random.randint(0, 8000, size=(1000, 64))
y = np.random.randint(0, 4, size=(1000,))
model.fit(x, y, epochs=args.epochs, validation_split=0.2)
