"""Write archcalc/readers/python/applications.json from the installed Keras (run by hand).

    python tests/data/make_applications.py [NAME ...]   # default: the builders not in the table yet
    python tests/data/make_applications.py --variants MobileNet MobileNetV2   # width options only

For every builder in keras.applications it records, from real Keras models built with
weights=None: the signature (parameter names and defaults), the default input size and model
name, the parameter counts without the top (trainable and non-trainable) and with the default
1000-class top, the width of the features the top's last Dense reads, the output channels, and
the spatial program: the (kernel, stride, padding, dilation) steps on the path from the input to
the output, from which any input size's output size follows exactly. tests/test_applications.py
checks the table against Keras at other sizes.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
OUT = Path(__file__).resolve().parents[2] / "archcalc" / "readers" / "python" / "applications.json"


def count(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def pair(v, n=2):
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


def spatial_program(model) -> list[dict]:
    """The spatial steps from the model's input to its output, along first inputs (nested
    models, such as ConvNeXt's stem and downsampling blocks, are followed inside)."""
    return program_to(model.outputs[0])


def program_to(t) -> list[dict]:
    """The spatial steps from the input to the tensor ``t``, along first inputs."""
    steps = []
    seen = 0
    while seen < 10_000:
        seen += 1
        hist = getattr(t, "_keras_history", None)
        if hist is None:
            break
        op = hist.operation
        if type(op).__name__ == "InputLayer":
            break
        cfg = op.get_config() if hasattr(op, "get_config") else {}
        kind = type(op).__name__
        if hasattr(op, "layers") and hasattr(op, "outputs"):
            steps.extend(reversed(spatial_program(op)))
        elif "kernel_size" in cfg and "strides" in cfg:
            steps.append({"k": pair(cfg["kernel_size"]), "s": pair(cfg["strides"]), "p": cfg.get("padding", "valid"),
                          "d": pair(cfg.get("dilation_rate", 1))})
        elif "pool_size" in cfg and kind not in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
            steps.append({"k": pair(cfg["pool_size"]), "s": pair(cfg.get("strides") or cfg["pool_size"]),
                          "p": cfg.get("padding", "valid"), "d": [1, 1]})
        elif kind == "ZeroPadding2D":
            (t0, b0), (l0, r0) = cfg["padding"]
            steps.append({"pad": [t0 + b0, l0 + r0], "before": [t0, l0], "after": [b0, r0]})
        elif kind == "Cropping2D":
            (t0, b0), (l0, r0) = cfg["cropping"]
            steps.append({"pad": [-(t0 + b0), -(l0 + r0)]})
        node = op._inbound_nodes[hist.node_index]
        ins = node.input_tensors
        if not ins:
            break
        t = ins[0]
    steps = list(reversed(steps))
    # keras.applications' correct_pad(): before a stride-2 'valid' convolution, a padding of
    # (k//2 - 1 + n % 2, k//2) on an axis of n values; recorded as that rule, not as numbers
    for i, step in enumerate(steps[:-1]):
        nxt = steps[i + 1]
        if "after" in step and "k" in nxt and nxt["p"] == "valid" and nxt["s"] == [2, 2]:
            half = [k // 2 for k in nxt["k"]]
            if step["after"] == half and all(b in (h - 1, h) for b, h in zip(step["before"], half, strict=True)):
                steps[i] = {"correct_pad": nxt["k"]}
    for step in steps:
        step.pop("before", None)
        step.pop("after", None)
    return steps


def record(keras, name: str) -> dict:
    fn = getattr(keras.applications, name)
    sig = inspect.signature(fn)
    params = [[p.name, p.default if p.default is not inspect.Parameter.empty else None] for p in sig.parameters.values()]
    keras.backend.clear_session()
    top = fn(weights=None)
    size = list(top.inputs[0].shape[1:3])
    # the classifier: the last layer with a kernel (Dense, or MobileNet's 1x1 Conv2D)
    head = [layer for layer in top.layers if getattr(layer, "kernel", None) is not None][-1]
    features = int(head.kernel.shape[-2])
    entry = {
        "params": params, "default_size": size, "name": top.name,
        "top_total": top.count_params(), "top_trainable": count(top.trainable_weights), "top_features": features,
    }
    keras.backend.clear_session()
    base = fn(weights=None, include_top=False, input_shape=(*size, 3))
    entry.update({
        "base_name": base.name, "total": base.count_params(), "trainable": count(base.trainable_weights),
        "channels": int(base.outputs[0].shape[-1]), "program": spatial_program(base),
        "output_size": list(base.outputs[0].shape[1:3]),
    })
    return entry


#: width options off the default, as the builders' documentation lists them (MobileNet's alpha
#: values are those with ImageNet weights; any alpha builds with weights=None)
VARIANTS: dict[str, list[dict]] = {
    "MobileNet": [{"alpha": a} for a in (0.25, 0.5, 0.75)],
    "MobileNetV2": [{"alpha": a} for a in (0.35, 0.5, 0.75, 1.3, 1.4)],
    "MobileNetV3Small": [{"alpha": 0.75}, {"minimalistic": True}, {"alpha": 0.75, "minimalistic": True}],
    "MobileNetV3Large": [{"alpha": 0.75}, {"minimalistic": True}, {"alpha": 0.75, "minimalistic": True}],
}

#: the entry fields a width option changes (and the spatial program, where it differs)
VARIANT_FIELDS = ("name", "top_total", "top_trainable", "top_features", "base_name", "total", "trainable", "channels")


def variant_key(options: dict) -> str:
    """``alpha=0.5,minimalistic=True``: the table's key of a variant."""
    return ",".join(f"{k}={options[k]!r}" for k in sorted(options))


def record_variants(keras, name: str, entry: dict) -> dict:
    out = {}
    fn = getattr(keras.applications, name)
    keras.backend.clear_session()
    default_program = spatial_program(fn(weights=None, include_top=False, input_shape=(*entry["default_size"], 3)))
    for options in VARIANTS.get(name, []):
        keras.backend.clear_session()
        top = fn(weights=None, **options)
        head = [layer for layer in top.layers if getattr(layer, "kernel", None) is not None][-1]
        v = {"name": top.name, "top_total": top.count_params(), "top_trainable": count(top.trainable_weights),
             "top_features": int(head.kernel.shape[-2])}
        keras.backend.clear_session()
        base = fn(weights=None, include_top=False, input_shape=(*entry["default_size"], 3), **options)
        program = spatial_program(base)
        if program != default_program:  # minimalistic MobileNetV3 has other kernel sizes
            v["program"] = program
        v.update({"base_name": base.name, "total": base.count_params(), "trainable": count(base.trainable_weights),
                  "channels": int(base.outputs[0].shape[-1])})
        out[variant_key(options)] = v
    return out


CUTS = OUT.with_name("application_cuts.json")


def _layer_of(t):
    hist = getattr(t, "_keras_history", None)
    return None if hist is None else hist.operation


def record_cuts(keras, name: str, entry: dict) -> list:
    """Per layer of the base (include_top=False, default size and width) whose output is an
    image: [name, trainable, non_trainable, channels, steps, chain]. ``steps`` is the number of
    leading steps of the base's spatial program that give the layer's size, or, when the layer
    is off that path (an Inception branch), [the steps it shares with it, its own further
    steps]; the counts are those of ``Model(base.input, layer.output)`` (the
    layers the output is computed from); ``chain`` is True when every later layer of the base is
    computed from it (then the model cut at it, then at a later layer, shares exactly these)."""
    fn = getattr(keras.applications, name)
    keras.backend.clear_session()
    base = fn(weights=None, include_top=False, input_shape=(*entry["default_size"], 3))
    full = spatial_program(base)
    layers = [layer for layer in base.layers if type(layer).__name__ != "InputLayer"]
    by_id: dict[int, object] = {}
    ancestors: dict[int, set[int]] = {}

    def ancestors_of(op) -> set[int]:
        """The operations (layers, and keras.ops calls, which are no layers) ``op`` is computed from."""
        if id(op) in ancestors:
            return ancestors[id(op)]
        found: set[int] = set()
        for node in op._inbound_nodes[:1]:
            for t in node.input_tensors:
                parent = _layer_of(t)
                if parent is not None and type(parent).__name__ != "InputLayer":
                    by_id[id(parent)] = parent
                    found |= ancestors_of(parent) | {id(parent)}
        ancestors[id(op)] = found
        return found

    sys.setrecursionlimit(100_000)
    for layer in layers:
        by_id[id(layer)] = layer
        ancestors_of(layer)
    cuts = []
    for i, layer in enumerate(layers):
        out = layer._inbound_nodes[0].output_tensors[0] if layer._inbound_nodes else None
        if out is None or len(out.shape) != 4:
            continue
        mine = ancestors[id(layer)] | {id(layer)}
        trainable = sum(count(getattr(by_id[k], "trainable_weights", [])) for k in mine)
        non_trainable = sum(count(getattr(by_id[k], "non_trainable_weights", [])) for k in mine)
        prog = program_to(out)
        shared = next((j for j, (a, b) in enumerate(zip(prog, full)) if a != b), min(len(prog), len(full)))
        steps = len(prog) if shared == len(prog) else [shared, prog[shared:]]
        chain = all(id(layer) in ancestors[id(later)] for later in layers[i + 1:])
        cuts.append([layer.name, trainable, non_trainable, int(out.shape[-1]), steps, chain])
    return cuts


def main_cuts(names: list[str]) -> None:
    import keras

    table = json.loads(OUT.read_text())
    cuts = json.loads(CUTS.read_text()) if CUTS.exists() else {}
    for name in names or [n for n in table if n != "keras"]:
        cuts[name] = record_cuts(keras, name, table[name])
        cuts["keras"] = keras.__version__
        CUTS.write_text(json.dumps(dict(sorted(cuts.items())), separators=(",", ":")) + "\n")
        print(name, len(cuts[name]), flush=True)


def main(names: list[str]) -> None:
    import keras

    table = json.loads(OUT.read_text()) if OUT.exists() else {}
    variants_only = names[:1] == ["--variants"]
    names = names[1:] if variants_only else names
    todo = names or [n for n in dir(keras.applications) if n[:1].isupper() and n not in table]
    for name in todo:
        if not variants_only:
            table[name] = record(keras, name)
        if name in VARIANTS:
            table[name]["variants"] = record_variants(keras, name, table[name])
        table["keras"] = keras.__version__
        OUT.write_text(json.dumps(dict(sorted(table.items())), indent=1) + "\n")  # after each builder
        print(name, table[name]["total"], table[name]["output_size"], sorted(table[name].get("variants", {})),
              flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cuts"]:
        main_cuts(sys.argv[2:])
    else:
        main(sys.argv[1:])
