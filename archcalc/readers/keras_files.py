"""Reading a saved Keras model file's config, without TensorFlow: the JSON text of
``model.to_json()``, the ``config.json`` of a ``.keras`` zip archive (checked first: entry
count, sizes, compression ratio, paths) and the ``model_config`` attribute of an HDF5
file (h5py reads only the attributes). Every mistake a file can hold is a SpecError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import Location, SpecError

MAX_JSON_BYTES = limits.MAX_JSON_BYTES  # ResNet152's config is ~1 MB; this leaves plenty of room
MAX_ARCHIVE_BYTES = limits.MAX_ARCHIVE_BYTES  # the weights may be large; only config.json is read
MAX_ENTRIES = limits.MAX_ARCHIVE_ENTRIES
MAX_RATIO = limits.MAX_COMPRESSION_RATIO


def file_error(path: str, message: str, hint: str | None = None, layer: str | None = None,
         keras_refuses: bool = False) -> SpecError:
    """An error in a saved model file; ``keras_refuses`` when Keras would refuse the same
    config (a layer argument it does not take), else a limit of archcalc's reading."""
    return SpecError(message, loc=Location(path), hint=hint, layer=layer, keras_refuses=keras_refuses)


def _read_file(path: str, limit: int) -> bytes:
    from archcalc.limits import read_file_bytes

    return read_file_bytes(path, limit)


def read_json_file(path: str) -> Any:
    """The parsed config of a ``.json`` file (``model.to_json()``), within MAX_JSON_BYTES."""
    return parse_json(_read_file(path, MAX_JSON_BYTES), path)


def json_type(v: Any) -> str:
    """How JSON names the type of ``v`` (for messages about a field of the wrong type)."""
    return {str: "string", bool: "boolean", int: "number", float: "number", list: "list",
            dict: "mapping", type(None): "null"}.get(type(v), "value")


def _parse_int(text: str) -> int:
    """A JSON integer, within the shared limit (a 4,300-digit one would not even convert)."""
    if len(text.lstrip("-")) > 19 or not limits.number_ok(int(text)):
        raise ValueError(f"the integer {text[:20]}... is too large (the limit is {limits.MAX_INT})")
    return int(text)


def parse_json(data: bytes | str, path: str) -> Any:
    """json.loads with the errors a user can cause turned into SpecError."""
    if len(data) > MAX_JSON_BYTES:
        raise file_error(path, f"the JSON is too large ({len(data)} bytes; the limit is {MAX_JSON_BYTES})")
    limits.check_json_values(data, Location(path))
    try:
        doc = json.loads(data, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise SpecError(
            f"invalid JSON: {e.msg}",
            loc=Location(path, e.lineno, e.colno),
            hint="is the file truncated? write it again with model.to_json()",
        ) from None
    except UnicodeDecodeError as e:
        raise file_error(path, f"the file is not UTF-8 text (byte {e.start})") from None
    except RecursionError:
        too_deep = True
    except ValueError as e:  # _parse_int's refusal
        raise file_error(path, str(e)) from None
    else:
        too_deep = False
    if too_deep or limits.nesting_depth(doc, limits.MAX_CONFIG_DEPTH) > limits.MAX_CONFIG_DEPTH:
        raise file_error(path, f"the JSON is nested too deeply (more than {limits.MAX_CONFIG_DEPTH} levels)",
                   hint="a Keras config is only a few levels deep")
    return doc


def _binary_model_file(path: str, what: str) -> Path:
    """A ``.keras`` or ``.h5`` file, checked before a library opens it: a regular file (FIFOs
    and devices refused), present, not a folder, within MAX_ARCHIVE_BYTES. Only its config is
    read afterwards, never the whole file."""
    from archcalc.limits import check_regular

    p = Path(path)
    check_regular(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise file_error(path, "no such file") from None
    except OSError as e:
        raise file_error(path, f"cannot read the file: {e.strerror}") from None
    if p.is_dir():
        raise file_error(path, "is a directory, not a model file")
    if size > MAX_ARCHIVE_BYTES:
        raise file_error(path, f"the {what} is too large ({size} bytes; the limit is {MAX_ARCHIVE_BYTES})")
    return p


def read_archive_config(path: str) -> tuple[Any, Any]:
    """(config, metadata) of a ``.keras`` zip archive, read in memory with size checks."""
    import zipfile
    import zlib

    p = _binary_model_file(path, "archive")
    hint = "save the model again with model.save('model.keras')"
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise file_error(path, f"the archive has {len(infos)} entries (the limit is {MAX_ENTRIES})", hint)
            for info in infos:
                name = info.filename
                if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
                    raise file_error(path, f"the archive holds an unsafe path '{name}'", hint)
            by_name = {i.filename: i for i in infos}
            if "config.json" not in by_name:
                raise file_error(path, "the archive has no config.json: not a Keras .keras file", hint)
            config = _read_member(zf, by_name["config.json"], path)
            meta = _read_member(zf, by_name["metadata.json"], path) if "metadata.json" in by_name else {}
    except zipfile.BadZipFile as e:
        raise file_error(path, f"not a valid .keras archive ({e})", "is the file truncated? " + hint) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError, RuntimeError,
            zlib.error) as e:  # RuntimeError: an encrypted entry; zlib.error: a damaged stream
        raise file_error(path, f"cannot read the archive ({type(e).__name__}: {e})", hint) from None
    return config, meta


def read_h5_config(path: str) -> Any:
    """The model config of an HDF5 model file (``model.save('model.h5')``, Keras 2's default
    format, and Keras 3's legacy one): the file's ``model_config`` attribute, with its
    ``training_config`` as the compile settings. Only the attributes are read, never the
    weights; h5py (part of TensorFlow's install) does the reading."""
    hint = "save the model with model.save('model.keras'), or write model.to_json() to a .json file"
    p = _binary_model_file(path, "file")
    try:
        import h5py
    except ImportError:
        raise file_error(path, "reading .h5 model files needs the h5py package",
                   "pip install 'archcalc[h5]' (h5py alone; 'archcalc[keras]' brings it with TensorFlow), or " + hint) from None
    try:
        with h5py.File(p, "r") as f:
            attrs = {k: f.attrs.get(k) for k in ("model_config", "training_config")}
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise file_error(path, f"not a readable HDF5 model file ({type(e).__name__}: {e})", hint) from None

    def text(v: Any) -> str | None:
        if isinstance(v, bytes):
            return v.decode("utf-8", "replace")
        return v if isinstance(v, str) else None

    config = text(attrs["model_config"])
    if config is None:
        raise file_error(path, "the file holds weights but no model config (it was written by save_weights())",
                   "save the whole model with model.save('model.keras') or model.save('model.h5')")
    root = parse_json(config, path)
    training = text(attrs["training_config"])
    if training is not None and isinstance(root, dict):
        root["compile_config"] = _training_config(parse_json(training, path))
    return root


def _training_config(cfg: Any) -> Any:
    """An HDF5 file's ``training_config`` in the ``compile_config`` form of a ``.keras`` file:
    ``optimizer_config`` is the optimizer (Keras 2 writes its class as ``Custom>SGD``), and a
    metric wrapped in ``MeanMetricWrapper`` is its name."""
    if not isinstance(cfg, dict):
        return None
    out = {k: v for k, v in cfg.items() if k in ("loss", "loss_weights", "weighted_metrics")}
    opt = cfg.get("optimizer_config")
    if isinstance(opt, dict) and isinstance(opt.get("class_name"), str):
        out["optimizer"] = {**opt, "class_name": opt["class_name"].removeprefix("Custom>")}

    def metric(m: Any) -> Any:
        if isinstance(m, list):
            return [metric(x) for x in m]
        if isinstance(m, dict) and m.get("class_name") == "MeanMetricWrapper":
            conf = m.get("config")
            return conf.get("name", m) if isinstance(conf, dict) else m
        return m

    metrics = cfg.get("metrics")
    if isinstance(metrics, list):
        flat = [x for m in metrics for x in (m if isinstance(m, list) else [m])]
        out["metrics"] = metric(flat)
    return out


def _read_member(zf: Any, info: Any, path: str) -> Any:
    if info.file_size > MAX_JSON_BYTES:
        raise file_error(path, f"{info.filename} is too large ({info.file_size} bytes; the limit is {MAX_JSON_BYTES})")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
        raise file_error(path, f"{info.filename} expands {info.file_size // info.compress_size}x (a zip bomb?)")
    with zf.open(info) as f:
        # never trust the header's size: read at most the cap, in one bounded call
        data = f.read(MAX_JSON_BYTES + 1)
    return parse_json(data, f"{path}:{info.filename}")
