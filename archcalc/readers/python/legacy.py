"""Keras 1 and Keras 2 spellings, read with their own era's meaning.

The Python reader calls :func:`translate_layer` on every layer constructor call before the
layer registry binds the arguments, so a legacy call such as
``Convolution2D(32, 3, 3, border_mode='same')`` reaches the registry as the Keras 3 call
``Conv2D(filters=32, kernel_size=(3, 3), padding='same')``. Each legacy spelling becomes a
:class:`Change`; lint reports them (AC601) and the summary lists the ones that change a
number (:func:`summary_lines`).

Interface for the interpreter (everything here is pure: no state between calls)
---------------------------------------------------------------------------------
``detect_era(tree, text, forced=None) -> (Era, reason)``
    Once per file. ``Era`` is a ``str`` ("keras1" | "keras2" | "keras3") that also carries
    the file's settings: ``channels_first`` (the file sets Theano's ordering),
    ``standalone`` (multi-backend Keras 2, where GRU's ``reset_after`` defaulted to False).
    ``forced`` is the ``--era`` option: the era is forced, the settings are still read.
``translate_layer(name, args, kwargs, era) -> Translated``
    Every layer constructor call. Raises :class:`SpecError` *without a location* for a
    legacy layer that has no Keras 3 equivalent; the caller adds the call's location
    (``raise SpecError(err.message, loc=..., hint=err.hint)``, as around ``bind``).
``translate_merge(name, args, kwargs, era) -> MergeCall``
    Keras 1's ``merge([a, b], mode='concat', concat_axis=1)`` (function, returns a
    tensor) and ``Merge([left, right], mode='sum')`` (a layer whose inputs are tensors or
    whole Sequential models). ``MergeCall.inputs`` is the list as written; the caller makes
    the layer ``MergeCall.layer`` / ``.args`` / ``.kwargs`` and calls it on those inputs (a
    model input contributes its output, and its input becomes an input of the result).
``translate_model_kwargs(kwargs, era) -> (kwargs, changes)``
    ``Model(input=x, output=y)`` (Keras 1) -> ``inputs=`` / ``outputs=``.
``translate_config(kind, name, kwargs, era) -> (kwargs, changes)``
    Optimizers and friends: ``SGD(lr=0.01, decay=1e-6)`` -> ``learning_rate=0.01``.
``star_names(module_path) -> list[str] | None``
    ``from keras.layers.convolutional import *``: the layer names a legacy module exported.
``backend_facts(era) -> dict``
    What ``K.image_dim_ordering()`` / ``K.image_data_format()`` return in this file.

The tables themselves (and the era report the renderers print) are data owned by the layers:
``archcalc/layers/eras.py``; this module applies them. Sources (cited again next to each table): the Keras 1.2.2 layer signatures
(keras-team/keras at tag 1.2.2, ``keras/layers/*.py``), Keras 2's converter of Keras 1
calls (``keras/legacy/interfaces.py`` in Keras 2.0-2.3), Keras 2's layer docs, and Keras 3's
own source (``keras/src/layers``) for what Keras 3 accepts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from archcalc.errors import SpecError
from archcalc.layers.eras import (
    ARG_RENAMES,
    CONFIG_DROPPED,
    CONFIG_RENAMES,
    DROPPED,
    GRU_RESET_AFTER,
    IMAGE_LAYERS,
    KERAS1_CONV_CALLS,
    KERAS1_KEYWORDS,
    KERAS1_NAMES,
    KERAS1_POSITIONAL,
    KERAS2_MODULES,
    KERAS2_NAMES,
    KERNEL_PARTS,
    LEGACY_LAYER_MODULES,
    LEGACY_POOL_SIZE,
    MERGE_MODES,
    NO_EQUIVALENT,
    RENAMED_LAYERS,
    TF_KERAS_MODULES,
    VALUE_RENAMES,
    Change,
    Era,
    as_era,
)


@dataclass
class Translated:
    """A constructor call in Keras 3 terms."""

    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    changes: list[Change] = field(default_factory=list)


# --- era detection ---------------------------------------------------------------------


def _module_of(node: ast.AST) -> list[tuple[str, int]]:
    if isinstance(node, ast.Import):
        return [(a.name, node.lineno) for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [(node.module, node.lineno)]
    return []


def _called_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def _ordering_setting(node: ast.AST) -> tuple[bool, str] | None:
    """(channels_first, reason) when the statement sets the global image ordering."""
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        name, value = _called_name(node), node.args[0].value
        if name == "set_image_dim_ordering" and value in ("th", "tf"):
            return value == "th", f"line {node.lineno}: set_image_dim_ordering({value!r})"
        if name == "set_image_data_format" and value in ("channels_first", "channels_last"):
            return value == "channels_first", f"line {node.lineno}: set_image_data_format({value!r})"
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
        for t in node.targets:
            if isinstance(t, ast.Attribute) and t.attr in ("_IMAGE_DIM_ORDERING", "_IMAGE_DATA_FORMAT"):
                value = node.value.value
                if value in ("th", "tf", "channels_first", "channels_last"):
                    return value in ("th", "channels_first"), f"line {node.lineno}: {t.attr} = {value!r}"
    return None


@dataclass
class _Clues:
    """What a file says of its era, each the earliest line that says it: (line, reason)."""

    k1: tuple[int, str] | None = None
    k2: tuple[int, str] | None = None
    tf_keras: bool = False
    standalone: bool = False
    ordering: tuple[int, bool, str] | None = None

    def keras1(self, line: int, reason: str) -> None:
        if self.k1 is None or line < self.k1[0]:
            self.k1 = (line, reason)

    def keras2(self, line: int, reason: str) -> None:
        if self.k2 is None or line < self.k2[0]:
            self.k2 = (line, reason)


def detect_era(tree: ast.Module, text: str, forced: str | None = None) -> tuple[Era, str]:
    """(era, reason): which Keras API the file is written against, and the line that says so.

    Keras 1 wins over Keras 2 (Keras 2 still accepted Keras 1 spellings, with the same
    meaning); a file with neither is Keras 3. ``forced`` (``--era``) overrides the era; the
    global settings (channels-first ordering, tf.keras or standalone) are read either way.
    """
    clues = _Clues()
    for node in ast.walk(tree):
        _module_clues(node, clues)
        if isinstance(node, ast.Call):
            _call_clues(node, clues)
        found = _ordering_setting(node)
        line = getattr(node, "lineno", 0)
        if found is not None and (clues.ordering is None or line < clues.ordering[0]):
            clues.ordering = (line, *found)
    if forced:
        name, reason = forced, "given (--era)"
    elif clues.k1 is not None:
        name, reason = "keras1", clues.k1[1]
    elif clues.k2 is not None:
        name, reason = "keras2", clues.k2[1]
    else:
        name, reason = "keras3", "no Keras 1 or Keras 2 spelling in the file"
    ordering = clues.ordering
    channels_first, why = (ordering[1], ordering[2]) if ordering else (False, "")
    era = Era(name, channels_first=channels_first, standalone=clues.standalone and not clues.tf_keras,
              ordering_reason=why)
    if name == "keras2":
        reason += "; " + ("standalone Keras 2 (import keras)" if era.standalone else "tf.keras 2")
    if channels_first:
        reason += f"; channels first ({why})"
    return era, reason


def _module_clues(node: ast.AST, clues: _Clues) -> None:
    """An import's clues: tf.keras or standalone Keras, a module only Keras 2 had."""
    for mod, line in _module_of(node):
        top = mod.split(".")[0]
        if top in TF_KERAS_MODULES and ("keras" in mod or top == "tf_keras"):
            clues.tf_keras = True
        elif top == "keras":
            clues.standalone = True
        for m in KERAS2_MODULES:
            if mod == m or mod.startswith(m + "."):
                clues.keras2(line, f"line {line}: imports {mod}, a Keras 2 module")


def _call_clues(node: ast.Call, clues: _Clues) -> None:
    """A call's clues: Keras 1 or 2 names, keywords and signatures."""
    line = node.lineno
    name = _called_name(node)
    for kw in node.keywords:
        # output_dim is still Embedding's name in Keras 3; elsewhere it is Keras 1's units
        if kw.arg in KERAS1_KEYWORDS or (kw.arg == "output_dim" and name != "Embedding"):
            clues.keras1(line, f"line {line}: {name}({kw.arg}=...) is Keras 1's spelling")
        if kw.arg in ("lr", "batch_input_shape"):
            clues.keras2(line, f"line {line}: {name}({kw.arg}=...) is Keras 2's spelling")
    if name in KERAS1_NAMES:
        clues.keras1(line, f"line {line}: {name}(...) is Keras 1's API")
    n_int = sum(1 for a in node.args if isinstance(a, ast.Constant) and type(a.value) is int)
    if name in KERAS1_CONV_CALLS and len(node.args) >= KERAS1_CONV_CALLS[name] \
            and n_int >= KERAS1_CONV_CALLS[name] - 1:
        clues.keras1(line, f"line {line}: {name} with {len(node.args)} positional sizes is Keras 1's signature")
    if name in KERAS2_NAMES:
        clues.keras2(line, f"line {line}: {name} is Keras 2's API")
    if name == "Model" and {kw.arg for kw in node.keywords} & {"input", "output"}:
        clues.keras1(line, f"line {line}: Model(input=..., output=...) is Keras 1's spelling")


def backend_facts(era: str) -> dict[str, str]:
    """What the backend's ordering queries return in a file of this era."""
    first = as_era(era).channels_first
    return {"image_dim_ordering": "th" if first else "tf",
            "image_data_format": "channels_first" if first else "channels_last"}


# --- layer translation -------------------------------------------------------------------


def _fmt(k: str, v: Any) -> str:
    return f"{k}={v!r}"


def _legacy_error(message: str, hint: str) -> SpecError:
    return SpecError(message, hint=hint)


def translate_layer(name: str, args: list[Any], kwargs: dict[str, Any], era: str) -> Translated:
    """The Keras 3 form of the layer call ``name(*args, **kwargs)`` written in ``era``."""
    e = as_era(era)
    args, kwargs = list(args), dict(kwargs)
    changes: list[Change] = []
    positional: set[str] = set()  # Keras 1 parameters given by position: renaming them is no spelling
    if name in NO_EQUIVALENT and (e != "keras3"):
        raise _legacy_error(f"{name} is not a Keras 3 layer", NO_EQUIVALENT[name] + "; " +
                            "describe the model in a YAML spec with a custom layer (documentation: 'Custom layers')")
    if name == "TimeDistributedDense" and e != "keras3":
        return _time_distributed_dense(args, kwargs, e)
    if e == "keras1" and name in KERAS1_POSITIONAL and args and _keras2_call(name, args, kwargs):
        pass  # Convolution2D(16, (3, 3), padding='same'): a Keras 2 call of a name Keras 2 kept
    elif e == "keras1" and name in KERAS1_POSITIONAL and args:
        args = _keras1_positional(name, args, kwargs, positional)
    new = RENAMED_LAYERS.get(name, name) if e != "keras3" or name in ("CuDNNGRU", "ThresholdedReLU") else name
    if new != name:
        changes.append(Change(f"{name}(...)", f"{new}(...)", note=_rename_note(name, new)))
    # Keras 2's legacy interface, and Keras 1.2's aliases (Conv2D = Convolution2D), both read
    # Conv2D(8, 5, 5) as kernel (5, 5): a Keras 1 file that spells the Keras 2 name too
    if ((e == "keras2" and e.standalone) or (e == "keras1" and new == name)) \
            and new in KERNEL_PARTS and len(KERNEL_PARTS[new]) > 1:
        args = _keras2_kernel_positional(new, args, kwargs, changes)
    if e != "keras3":
        _translate_arguments(name, new, kwargs, changes, positional)
    _any_era(name, new, kwargs, changes)
    _era_defaults(new, kwargs, e, changes, positional=bool(args))
    return Translated(new, args, kwargs, changes)


def _keras1_positional(name: str, args: list[Any], kwargs: dict[str, Any], positional: set[str]) -> list[Any]:
    """A Keras 1 layer's positional arguments as its keywords (Convolution2D(32, 3, 3)); the
    names given by position are added to ``positional``. The positional arguments left: none."""
    names = KERAS1_POSITIONAL[name]
    if len(args) > len(names):
        raise _legacy_error(f"{name} takes at most {len(names)} positional arguments in Keras 1",
                            f"{name}({', '.join(names)}, ...)")
    for p, v in zip(names, args, strict=False):
        if p in kwargs:
            raise _legacy_error(f"{name} got multiple values for argument '{p}'", f"{name}({', '.join(names)})")
        kwargs[p] = v
        positional.add(p)
    return []


def _translate_arguments(name: str, new: str, kwargs: dict[str, Any], changes: list[Change],
                         positional: set[str]) -> None:
    """A Keras 1/2 layer's keyword arguments in Keras 3's spelling (ARG_RENAMES, VALUE_RENAMES),
    the ones Keras 3 dropped removed (DROPPED), each change recorded."""
    renames = ARG_RENAMES.get(new, {})
    _join_kernel(new, kwargs, changes, positional)
    _special(new, name, kwargs, changes)
    for old, k3 in renames.items():
        if old in kwargs:
            v = kwargs.pop(old)
            if k3 in kwargs:
                raise _legacy_error(f"{name} got both '{old}' and its Keras 3 name '{k3}'",
                                    f"keep {k3}=")
            v2 = VALUE_RENAMES.get(k3, {}).get(v, v) if isinstance(v, str) else v
            if old == "bias":
                v2 = bool(v)
            kwargs[k3] = v2
            if k3 == "data_format" and v2 is None:
                kwargs.pop(k3)
            if old in positional and v2 == v:
                continue
            changes.append(Change(_fmt(old, v), _fmt(k3, v2) if k3 in kwargs else "(the global ordering)"))
    for old, why in DROPPED.items():
        if old in kwargs and not _accepts(new, old):
            v = kwargs.pop(old)
            if v is not None or old != "weights":
                changes.append(Change(_fmt(old, v), "(removed)", note=why))
    if kwargs.get("padding") == "full":
        raise _legacy_error(f"{name}: border_mode='full' has no Keras 3 equivalent",
                            "pad by kernel_size - 1 on each side with ZeroPadding, then padding='valid'")
    _input_dim_length(new, kwargs, changes)


def _any_era(name: str, new: str, kwargs: dict[str, Any], changes: list[Change]) -> None:
    """Spellings read the same in every era: LeakyReLU's alpha, CuDNNGRU's and ThresholdedReLU's
    defaults, a first layer's batch_input_shape."""
    if new == "LeakyReLU" and "alpha" in kwargs:  # Keras 2/tf.keras spelling, in any era
        kwargs["negative_slope"] = kwargs.pop("alpha")
        changes.append(Change(_fmt("alpha", kwargs["negative_slope"]), _fmt("negative_slope", kwargs["negative_slope"])))
    if name == "CuDNNGRU":
        kwargs.setdefault("reset_after", True)
        kwargs.setdefault("recurrent_activation", "sigmoid")
    if name == "ThresholdedReLU":
        if "theta" in kwargs:  # a keras3-era file: the rename table did not run
            kwargs["threshold"] = kwargs.pop("theta")
            changes.append(Change(_fmt("theta", kwargs["threshold"]), _fmt("threshold", kwargs["threshold"])))
        kwargs.setdefault("threshold", 1.0)  # ThresholdedReLU's theta defaulted to 1.0
    if "batch_input_shape" in kwargs and isinstance(kwargs["batch_input_shape"], (list, tuple)) \
            and kwargs["batch_input_shape"] and not _accepts(new, "batch_input_shape"):
        # Keras 2's first-layer batch_input_shape=(batch, ...): Keras 3 spells it input_shape + batch_size
        full = tuple(kwargs.pop("batch_input_shape"))
        kwargs.setdefault("input_shape", full[1:])
        kwargs.setdefault("batch_size", full[0])


def _keras2_call(name: str, args: list[Any], kwargs: dict[str, Any]) -> bool:
    """A convolution called in Keras 2's signature under the name Keras 2 kept from Keras 1
    (Convolution2D(16, (3, 3), padding='same')): a tuple kernel where Keras 1 had an int
    (nb_row), or Keras 2's keywords."""
    names = KERAS1_POSITIONAL.get(name, ())
    if len(names) < 2 or names[1] not in ("nb_row", "filter_length", "kernel_dim1"):
        return False
    return (len(args) >= 2 and isinstance(args[1], (tuple, list))) or bool(
        {"padding", "kernel_size", "strides", "filters"} & set(kwargs))


def _registry_cls(name: str) -> Any:
    from archcalc.layers import registry

    return registry.get(name)


def _accepts(layer: str, arg: str) -> bool:
    cls = _registry_cls(layer)
    return cls is not None and any(a.name == arg for a in cls.ARGS)


def _rename_note(old: str, new: str) -> str:
    if old == "CuDNNGRU":
        return "CuDNNGRU's 6u bias is GRU(reset_after=True, recurrent_activation='sigmoid'): same weights"
    if old == "ThresholdedReLU":
        return "ThresholdedReLU(theta) is ReLU(threshold=theta); 0 weights"
    if old.startswith("Atrous"):
        return "atrous_rate becomes dilation_rate"
    return ""


def _keras2_kernel_positional(new: str, args: list[Any], kwargs: dict[str, Any],
                              changes: list[Change]) -> list[Any]:
    """Standalone Keras 2 read Conv2D(32, 3, 3) as kernel_size=(3, 3), Keras 3 as strides=3.

    keras/legacy/interfaces.py conv2d_args_preprocessor / conv3d_args_preprocessor: with
    integers after ``filters`` (and no padding/strides/data_format keyword), they form the
    kernel size.
    """
    n = len(KERNEL_PARTS[new])
    if len(args) == n + 1 and all(type(a) is int for a in args[1:]) \
            and not {"padding", "strides", "data_format"} & set(kwargs):
        kernel = tuple(args[1:])
        changes.append(Change(f"{new}({', '.join(map(repr, args))})",
                              f"{new}({args[0]!r}, {kernel!r})", changes_number=True,
                              note=f"Keras 2 read the integers after filters as the kernel size {kernel}; "
                                   f"Keras 3 would read the last one as strides={args[-1]}"))
        return [args[0], kernel]
    return args


def kernel_or_strides(name: str, args: list[Any], kwargs: dict[str, Any], era: str) -> str:
    """A note when a file read as Keras 3 (or tf.keras) writes ``Conv2D(8, 5, 5)``: Keras 3 reads
    the last integer as the strides; Keras 1 and standalone Keras 2 read the integers as the
    kernel size, so the file may mean another model (the era was not sure). Empty otherwise."""
    e = as_era(era)
    if (e == "keras2" and e.standalone) or e == "keras1" or name not in KERNEL_PARTS:
        return ""
    n = len(KERNEL_PARTS[name])
    if n < 2 or len(args) != n + 1 or not all(type(a) is int for a in args) \
            or {"padding", "strides", "data_format", "kernel_size"} & set(kwargs):
        return ""
    shown = ", ".join(map(repr, args))
    return (f"{name}({shown}) is read as Keras 3 reads it: kernel_size={args[1]}, strides={args[2:] if n > 2 else args[2]}"
            f"; Keras 1 and standalone Keras 2 read it as kernel_size={tuple(args[1:])!r}: if the file "
            f"is written for them, read it with --era keras2")


def _join_kernel(new: str, kwargs: dict[str, Any], changes: list[Change], positional: set[str]) -> None:
    parts = KERNEL_PARTS.get(new, ())
    present = [p for p in parts if p in kwargs]
    if not present:
        return
    if len(present) != len(parts):
        missing = [p for p in parts if p not in kwargs]
        raise _legacy_error(f"{new}: Keras 1 kernel size is missing {', '.join(missing)}",
                            f"give {', '.join(parts)}, or kernel_size=")
    values = [kwargs.pop(p) for p in parts]
    kernel = values[0] if len(values) == 1 else tuple(values)
    kwargs["kernel_size"] = kernel
    old = ", ".join(repr(v) if p in positional else f"{p}={v!r}" for p, v in zip(parts, values, strict=False))
    changes.append(Change(old, _fmt("kernel_size", kernel), note="Keras 1 gave the kernel size as separate integers"))


def _special(new: str, old_name: str, kwargs: dict[str, Any], changes: list[Change]) -> None:
    """Arguments whose translation is not a plain rename (each cites its source)."""
    if new == "BatchNormalization" and "mode" in kwargs:
        # interfaces.batchnorm_args_preprocessor: mode=0 is the only mode Keras 2 kept
        mode = kwargs.pop("mode")
        if mode == 1:
            raise _legacy_error("BatchNormalization(mode=1) (sample-wise normalisation) has no Keras 3 equivalent",
                                "use LayerNormalization, which normalises each sample (its weights differ)")
        note = "" if mode == 0 else ("mode=2 used the batch's statistics at test time too; "
                                     "the weights (2C + 2C) are the same")
        changes.append(Change(_fmt("mode", mode), "(removed)", note=note))
    if new == "SeparableConv2D" and "init" in kwargs:
        # interfaces.separable_conv2d_args_preprocessor: init feeds both kernels
        init = kwargs.pop("init")
        kwargs["depthwise_initializer"] = kwargs["pointwise_initializer"] = init
        changes.append(Change(_fmt("init", init), f"depthwise_initializer={init!r}, pointwise_initializer={init!r}"))
    if new == "LSTM" and kwargs.get("forget_bias_init") == "one":
        # interfaces.recurrent_args_preprocessor
        kwargs.pop("forget_bias_init")
        kwargs["unit_forget_bias"] = True
        changes.append(Change("forget_bias_init='one'", "unit_forget_bias=True"))
    if new == "Embedding" and "dropout" in kwargs:
        # interfaces.embedding_kwargs_preprocessor drops it (no weights, no shape)
        v = kwargs.pop("dropout")
        changes.append(Change(_fmt("dropout", v), "(removed)",
                              note="Keras 2 dropped it: add SpatialDropout1D after the Embedding"))
    if new == "ZeroPadding2D" and isinstance(kwargs.get("padding"), dict):
        # interfaces.zeropadding2d_args_preprocessor: {top_pad, bottom_pad, left_pad, right_pad}
        d = kwargs["padding"]
        pad = ((d.get("top_pad", 0), d.get("bottom_pad", 0)), (d.get("left_pad", 0), d.get("right_pad", 0)))
        kwargs["padding"] = pad
        changes.append(Change(_fmt("padding", d), _fmt("padding", pad)))
    if new in ("Conv1D", "Conv2D") and old_name.startswith("Atrous") and "atrous_rate" not in kwargs \
            and "dilation_rate" not in kwargs:
        kwargs["dilation_rate"] = 1


def _input_dim_length(new: str, kwargs: dict[str, Any], changes: list[Change]) -> None:
    """interfaces.recurrent_args_preprocessor / conv1d_args_preprocessor: input_dim and
    input_length become input_shape=(input_length, input_dim). Dense keeps input_dim (Keras
    3's Layer still reads it: keras/src/layers/layer.py); Embedding keeps input_length, which
    the reader uses as the Sequential input length (Keras 3 ignores it with a warning)."""
    if new in ("LSTM", "GRU", "SimpleRNN", "Conv1D") and "input_dim" in kwargs:
        shape = (kwargs.pop("input_length", None), kwargs.pop("input_dim"))
        kwargs["input_shape"] = shape
        changes.append(Change(f"input_dim={shape[1]!r}, input_length={shape[0]!r}", _fmt("input_shape", shape)))


def _era_defaults(new: str, kwargs: dict[str, Any], e: Era, changes: list[Change],
                  positional: bool = False) -> None:
    """Defaults that changed between eras: each is a Change that changes a number."""
    if new == "GRU" and "reset_after" not in kwargs:
        key = "keras1" if e == "keras1" else ("keras2-standalone" if e.standalone else "keras2-tf") \
            if e == "keras2" else "keras3"
        if not GRU_RESET_AFTER[key]:
            kwargs["reset_after"] = False
            era_name = "Keras 1" if e == "keras1" else "standalone Keras 2"
            changes.append(Change("GRU(...)", "GRU(..., reset_after=False)", changes_number=True,
                                  note=f"{era_name}'s GRU: 3u(n+u+1) parameters, not Keras 3's 3u(n+u+2)"))
    if new in LEGACY_POOL_SIZE and "pool_size" not in kwargs and not positional:
        # Keras 3 requires pool_size; Keras 1/2 and tf.keras 2 defaulted to 2 per axis
        kwargs["pool_size"] = LEGACY_POOL_SIZE[new]
        changes.append(Change(f"{new}()", f"{new}(pool_size={LEGACY_POOL_SIZE[new]!r})", changes_number=True,
                              note="Keras 2's default pool size; Keras 3 requires one"))
    if e.channels_first and new in IMAGE_LAYERS and "data_format" not in kwargs:
        kwargs["data_format"] = "channels_first"
        changes.append(Change(f"{new}(...)", f"{new}(..., data_format='channels_first')", changes_number=True,
                              note=f"channels first ({e.ordering_reason.split(':')[0]}): the output shape changes"))


def _time_distributed_dense(args: list[Any], kwargs: dict[str, Any], e: Era) -> Translated:
    """Keras 1's TimeDistributedDense(output_dim) is TimeDistributed(Dense(output_dim)):
    the same (n+1)*output_dim weights, applied at each step (tag 1.2.2 keras/layers/core.py)."""
    outer: dict[str, Any] = {k: kwargs.pop(k) for k in ("input_shape", "input_dim", "input_length", "name", "batch_input_shape",
                                         "trainable") if k in kwargs}
    if "input_dim" in outer:
        outer["input_shape"] = (outer.pop("input_length", None), outer.pop("input_dim"))
    outer.pop("input_length", None)
    inner = translate_layer("Dense", args, kwargs, e)
    cls = _registry_cls("Dense")
    try:
        dense = cls.bind(inner.args, inner.kwargs)
    except SpecError as err:
        raise _legacy_error(f"TimeDistributedDense: {err.message}", err.hint or "") from None
    change = Change("TimeDistributedDense(...)", "TimeDistributed(Dense(...))",
                    note="the same Dense weights applied at each step")
    return Translated("TimeDistributed", [dense], outer, [change, *inner.changes])


# --- calls that are not plain layer constructors ------------------------------------------


@dataclass
class MergeCall:
    """Keras 1's merge / Merge in Keras 3 terms: make ``layer(*args, **kwargs)``, then call
    it on ``inputs`` (tensors, or Sequential models whose outputs are merged)."""

    layer: str
    args: list[Any]
    kwargs: dict[str, Any]
    inputs: list[Any]
    changes: list[Change] = field(default_factory=list)


def translate_merge(name: str, args: list[Any], kwargs: dict[str, Any], era: str) -> MergeCall:
    """``merge([a, b], mode='concat', concat_axis=-1)`` / ``Merge([m1, m2], mode='sum')``.

    Keras 1 (tag 1.2.2 keras/engine/topology.py, class Merge): mode defaults to 'sum';
    concat_axis to -1; dot_axes to -1; 'cos' is the cosine proximity of two tensors, which
    Keras 3 writes Dot(axes, normalize=True). A callable mode runs Python code: refused.
    """
    kwargs = dict(kwargs)
    inputs = args[0] if args else kwargs.pop("layers", kwargs.pop("inputs", None))
    if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
        raise _legacy_error(f"{name} needs a list of at least two inputs", f"{name}([a, b], mode='concat')")
    mode = kwargs.pop("mode", "sum")
    if not isinstance(mode, str):
        raise _legacy_error(f"{name}(mode=<function>) runs Python code: archcalc cannot know its output",
                            "use a merge mode ('concat', 'sum', 'mul', 'ave', 'max', 'dot', 'cos') or a Keras 3 layer")
    if mode not in MERGE_MODES:
        raise _legacy_error(f"{name}: unknown merge mode {mode!r}", "modes: " + ", ".join(MERGE_MODES))
    layer = MERGE_MODES[mode]
    out_kw: dict[str, Any] = {}
    written = [f"mode={mode!r}"]
    if "concat_axis" in kwargs:
        written.append(_fmt("concat_axis", kwargs["concat_axis"]))
    if "dot_axes" in kwargs:
        written.append(_fmt("dot_axes", kwargs["dot_axes"]))
    concat_axis = kwargs.pop("concat_axis", -1)
    dot_axes = kwargs.pop("dot_axes", -1)
    if layer == "Concatenate" and concat_axis != -1:
        out_kw["axis"] = concat_axis
    if layer == "Dot":
        out_kw["axes"] = list(dot_axes) if isinstance(dot_axes, (list, tuple)) else dot_axes
        if mode == "cos":
            out_kw["normalize"] = True
    for k in ("output_shape", "output_mask", "node_indices", "tensor_indices", "arguments"):
        kwargs.pop(k, None)
    if "name" in kwargs:
        out_kw["name"] = kwargs.pop("name")
    if kwargs:
        raise _legacy_error(f"{name} got an unexpected keyword argument '{next(iter(kwargs))}'",
                            f"{name}(inputs, mode=..., concat_axis=..., dot_axes=..., name=...)")
    new = f"{layer}({', '.join(_fmt(k, v) for k, v in out_kw.items())})(...)"
    return MergeCall(layer, [], out_kw, list(inputs), [Change(f"{name}([...], {', '.join(written)})", new)])


def translate_model_kwargs(kwargs: dict[str, Any], era: str) -> tuple[dict[str, Any], list[Change]]:
    """``Model(input=x, output=y)`` -> ``Model(inputs=x, outputs=y)``
    (interfaces.legacy_model_constructor_support)."""
    out, changes = dict(kwargs), list[Change]()
    for old, new in (("input", "inputs"), ("output", "outputs")):
        if old in out:
            out[new] = out.pop(old)
            changes.append(Change(f"{old}=", f"{new}="))
    return out, changes


def translate_config(kind: str, name: str, kwargs: dict[str, Any], era: str) -> tuple[dict[str, Any], list[Change]]:
    """Optimizer arguments: ``lr`` -> ``learning_rate``; ``decay`` is dropped with a note."""
    out, changes = dict(kwargs), list[Change]()
    if kind != "optimizers":
        return out, changes
    for old, new in CONFIG_RENAMES.items():
        if old in out:
            out[new] = out.pop(old)
            changes.append(Change(_fmt(old, out[new]), _fmt(new, out[new])))
    for old, why in CONFIG_DROPPED.items():
        if old in out:
            v = out.pop(old)
            changes.append(Change(_fmt(old, v), "(removed)", note=why))
    return out, changes


def star_names(module_path: tuple[str, ...] | str) -> list[str] | None:
    """The names ``from <module> import *`` gives for a legacy Keras layers module, or None."""
    parts = tuple(module_path.split(".")) if isinstance(module_path, str) else tuple(module_path)
    if len(parts) >= 3 and parts[-2] == "layers" and parts[-1] in LEGACY_LAYER_MODULES:
        return list(LEGACY_LAYER_MODULES[parts[-1]])
    return None
