"""Fuzz inputs for every front-end: mutations of real models and generated specs.

Seeds are the bundled samples, the corpus programs (``tests/corpus/programs``) and the small
Keras-made files in ``tests/fuzz/seeds``. :func:`generate` turns a seed into a stream of
small inputs, each a ``(name, suffix, bytes)``, deterministically from ``random.Random``:
text mutations (lines dropped, duplicated or swapped, numbers replaced by extreme values,
YAML tags, control characters, deep nesting, truncation), structural JSON mutations (a
value replaced by one of another type), notebooks whose cells are mutated, and ``.keras``
archives holding a mutated config or damaged bytes. :func:`hostile` adds the strategies of
issue 29: real programs made hostile (deep nesting, huge literals, recursive builders,
unicode identifiers), pathological notebooks, ``.keras`` zip bombs and ``.h5`` files.
:func:`yaml_specs` is a hypothesis strategy for specs built from layer calls with random
arguments.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fuzz" / "seeds"

#: the largest input the CI budget generates (keeps each run fast)
SMALL = 8 * 1024

#: values a number in the input may be replaced by
EXTREMES = [
    "0", "-1", "1e400", "-1e400", "nan", "inf", "65536.0 ** 64", "10 ** 4300", "2 ** 62",
    "int(1e400)", "round(1e400)", "len(range(int(1e300)))", "True", "None", "'x'", "[]", "{}",
    "(1, 2, 3, 4, 5, 6)", "1.5", "-0.0", "0x7fffffffffffffff", "H", "N * 2", "3 % 0", "1 / 0",
    "'\udcff'",
]

#: fragments inserted at random places
INSERTS = [
    "!!python/name:os.system ", "!foo ", "!!int ", "!custom ", "&a ", "*a ", "\x07", "\x00",
    "\ufeff", "\t", "[[[[[[[[[[", "((((((((((", "{{{{{{{{", "-" * 200, "lambda x: x",
    " * 100", "model.add(model)\n", "__import__('os')", "\"\"\"", "#", ":", "'", "\\",
]

LAYER_CALLS = [
    "Dense({n})", "Conv2D({n}, {k}, strides={s}, padding='{p}')", "MaxPooling2D({k})", "Flatten()",
    "Dropout({r})", "BatchNormalization(axis={a})", "LayerNormalization(axis={a})", "LSTM({n})",
    "GRU({n}, return_sequences=True)", "Embedding({n}, {n})", "Reshape(({n}, -1))",
    "GlobalAveragePooling2D()", "Activation('{act}')", "Dot(axes={a})", "Add()", "Concatenate()",
    "Dense({n}, name='{name}')", "Conv1D({n}, {k})", "UpSampling2D({k})", "Permute((2, 1))",
]


def seed_files() -> list[Path]:
    """Every seed, sorted (a stable order keeps a seeded run reproducible)."""
    found: list[Path] = []
    for folder in (ROOT / "samples", ROOT / "tests" / "corpus" / "programs", SEEDS):
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix in {".yaml", ".yml", ".py", ".ipynb", ".json", ".keras"}:
                if p.stat().st_size <= 64 * 1024:
                    found.append(p)
    return found


# -- text mutations ------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def mutate_text(text: str, rng: random.Random) -> str:
    """Apply one to three random edits to ``text``."""
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(TEXT_MUTATIONS)(text, rng)
    return text


def _lines_op(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True) or [""]
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.randrange(4)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[j])
    elif op == 2:
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines = lines[:i]
    return "".join(lines)


def _number(text: str, rng: random.Random) -> str:
    hits = list(NUMBER.finditer(text))
    if not hits:
        return text
    m = rng.choice(hits)
    return text[:m.start()] + rng.choice(EXTREMES) + text[m.end():]


def _insert(text: str, rng: random.Random) -> str:
    i = rng.randint(0, len(text))
    return text[:i] + rng.choice(INSERTS) + text[i:]


def _layer(text: str, rng: random.Random) -> str:
    """Replace a layer call (``Name(...)`` on one line) with another one, random arguments."""
    hits = list(re.finditer(r"\b[A-Z][A-Za-z0-9]+\([^()\n]*\)", text))
    if not hits:
        return text
    m = rng.choice(hits)
    return text[:m.start()] + random_call(rng) + text[m.end():]


def _chars(text: str, rng: random.Random) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    n = rng.randint(1, 8)
    return text[:i] + "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x3000)]))
                              for _ in range(n)) + text[i + n:]


def _repeat(text: str, rng: random.Random) -> str:
    """Make one line repeat itself (loops, long chains, many layers)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = rng.randrange(len(lines))
    return "".join(lines[:i] + [lines[i]] * rng.randint(2, 40) + lines[i:])


TEXT_MUTATIONS: list[Callable[[str, random.Random], str]] = [
    _lines_op, _number, _number, _insert, _layer, _layer, _chars, _repeat,
]


def random_call(rng: random.Random) -> str:
    pick = rng.choice
    return pick(LAYER_CALLS).format(
        n=pick(["1", "2", "3", "8", "0", "-1", "1e400", "nan", "10 ** 4300", "H"]),
        k=pick(["1", "2", "3", "(3, 3)", "0", "(2, 2, 2)", "100"]),
        s=pick(["1", "2", "3", "0"]), p=pick(["same", "valid", "causal", "full"]),
        r=pick(["0.5", "nan", "1.0", "-0.1", "inf"]), a=pick(["-1", "0", "1", "2", "(1, 2)", "5"]),
        act=pick(["relu", "softmax", "nope"]), name=pick(["foo", "dense", "", "a b", "\udcff"]),
    )


# -- JSON mutations ------------------------------------------------------------------------

JSON_VALUES: list[object] = [None, True, 0, -1, 1.5, 10 ** 40, "x", "", [], [1], ["in", "x", 0],
                             {}, {"class_name": "Dense"}, [5], "\udcff", 1e308]


def mutate_json(doc: object, rng: random.Random) -> object:
    """Replace one value somewhere in ``doc`` (a copy) with one of another type."""
    doc = json.loads(json.dumps(doc))
    paths: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append((node, k))
                walk(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append((node, i))
                walk(v)

    walk(doc)
    if not paths:
        return rng.choice(JSON_VALUES)
    for _ in range(rng.randint(1, 3)):
        parent, key = rng.choice(paths)
        op = rng.randrange(4)
        if op == 0 and isinstance(parent, dict):
            del parent[key]  # type: ignore[arg-type]
            walk_doc = doc
            paths = []
            walk(walk_doc)
            if not paths:
                break
            continue
        value = parent[key]  # type: ignore[index]
        if op == 1 and isinstance(value, int) and not isinstance(value, bool):
            parent[key] = rng.choice([0, -1, 10 ** 40, 10 ** 4300 if rng.random() < 0.2 else 2 ** 63])  # type: ignore[index]
        else:
            parent[key] = rng.choice(JSON_VALUES)  # type: ignore[index]
    return doc


def dump_json(doc: object) -> bytes:
    import sys

    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # a mutation may put a 4,301-digit integer in the file
    try:
        return json.dumps(doc).encode("utf-8", "surrogatepass")
    finally:
        sys.set_int_max_str_digits(old)


def keras_archive(config: bytes, rng: random.Random | None = None) -> bytes:
    """A ``.keras`` zip holding ``config``; with ``rng``, sometimes damaged."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", '{"keras_version": "3.15.0"}')
        z.writestr("config.json", config)
    data = bytearray(buf.getvalue())
    if rng is not None and rng.random() < 0.3:
        op = rng.randrange(3)
        if op == 0:  # flip bytes inside the compressed stream
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(30, max(31, len(data) - 100))
                data[i] ^= 0xFF
        elif op == 1:  # the encrypted flag of the first entry
            data[6] |= 1
        else:
            del data[rng.randrange(len(data)):]
    return bytes(data)


# -- hostile strategies (issue 29) ----------------------------------------------------------

#: characters an identifier or a name may be given: letters of other scripts, a lone
#: surrogate, bidirectional overrides, controls, a zero-width joiner
UNICODE_NAMES = ["\u00e9t\u00e9", "\u0394x", "\u5c64", "d\ud800", "a\u202eb", "x\x1b[2J", "n\x07",
                 "z\u200dw", "\U0001d4b3", "_\u0663"]


def hostile_program(text: str, rng: random.Random, big: int = 2_000) -> str:
    """A real Keras program made hostile: deep nesting, a huge literal, a recursive builder,
    unicode identifiers and names (``big`` bounds the literal's size)."""
    op = rng.randrange(6)
    if op == 0:  # deep nesting around one expression
        hits = list(re.finditer(r"\b(Dense|Conv2D|Input)\(", text))
        if hits:
            m = rng.choice(hits)
            depth = rng.choice([10, 50, 199, 201, 400])
            end = text.find("\n", m.start())
            end = len(text) if end < 0 else end
            line = text[m.start():end]
            text = text[:m.start()] + "(" * depth + line + ")" * depth + text[end:]
    elif op == 1:  # a huge literal, read by a layer or not
        n = rng.choice([big // 2, big, big * 4])
        kind = rng.choice(["list", "tuple", "dict", "str", "nested"])
        lit = {"list": "[" + ",".join(["1"] * n) + "]", "tuple": "(" + ",".join(["2"] * n) + ",)",
               "dict": "{" + ",".join(f"{i}: {i}" for i in range(n)) + "}", "str": repr("a" * (n * 50)),
               "nested": "[" * min(n, 300) + "]" * min(n, 300)}[kind]
        read = rng.random() < 0.3
        text = f"DATA = {lit}\n" + text
        if read:
            text = re.sub(r"Dense\((\d+)", "Dense(len(DATA)", text, count=1)
    elif op == 2:  # a recursive builder
        depth = rng.choice([3, 59, 61, 200, 10_000])
        text += ("\n\ndef block(x, n):\n    if n == 0:\n        return x\n"
                 "    return block(keras.layers.Dense(4)(x), n - 1)\n\n"
                 f"def forever(x):\n    return forever(x)\n\n"
                 f"_t = keras.Input((4,))\nmodel = keras.Model(_t, block(_t, {depth}))\n")
        if rng.random() < 0.2:
            text += "model = keras.Model(_t, forever(_t))\n"
    elif op == 3:  # unicode identifiers and layer names
        name = rng.choice(UNICODE_NAMES)
        text = re.sub(r"\bx\b", name if name.isidentifier() else "x", text)
        text = re.sub(r"(Dense|Conv2D|LSTM)\(([^()\n]*)\)", lambda m: f"{m.group(1)}({m.group(2)}, name={name!r})"
                      if m.group(2) else m.group(0), text, count=rng.randint(1, 3))
    elif op == 4:  # a long string literal beside a class of the file's own (user_source)
        text = (f"BLOB = {'x' * rng.choice([1000, 50_000, big * 100])!r}\n" + text +
                "\n\nclass Scale(keras.layers.Layer):\n    def call(self, x):\n        return x * 2\n")
    else:  # many statements, one per line
        text += "\n" + "".join(f"v{i} = {i}\n" for i in range(rng.choice([100, big, big * 10])))
    return text


def hostile_notebook(rng: random.Random, program: str, big: int = 2_000) -> bytes:
    """A pathological notebook around ``program``: many cells, magics, outputs of many tiny
    values, cells of the wrong type or shape, a source split at odd places, deep metadata."""
    cells: list[dict] = []
    code = lambda src: {"cell_type": "code", "execution_count": None, "metadata": {},  # noqa: E731
                        "outputs": [], "source": src}
    op = rng.randrange(6)
    if op == 0:
        cells = [code(f"x{i} = {i}") for i in range(rng.choice([10, big, big * 5]))] + [code(program)]
    elif op == 1:
        cells = [code(["%matplotlib inline\n", "!pip install keras\n", "%%time\n"][rng.randrange(3):] + [program])]
    elif op == 2:
        out = {"output_type": "execute_result", "data": {"text/plain": [{} for _ in range(big * 5)]},
               "metadata": {}, "execution_count": 1}
        cells = [dict(code(program), outputs=[out])]
    elif op == 3:
        cells = [{"cell_type": rng.choice(["raw", "markdown", "code", 7, None]), "source": program,
                  "metadata": rng.choice([{}, [], "x", None])}]
    elif op == 4:
        cut = rng.randrange(len(program) + 1)
        cells = [code(program[:cut]), code(program[cut:])]
    else:
        meta: object = {}
        for _ in range(rng.choice([10, 300, 2000])):
            meta = {"m": meta}
        cells = [dict(code(program), metadata=meta)]
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 10_000))
    try:
        return dump_json(nb)
    finally:
        sys.setrecursionlimit(old)


def keras_bomb(config: bytes, rng: random.Random) -> bytes:
    """A ``.keras`` zip that lies: a config.json that inflates far past its compressed size, a
    huge declared size, thousands of entries, a nested zip, or a second config.json."""
    buf = io.BytesIO()
    op = rng.randrange(5)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", '{"keras_version": "3.15.0"}')
        if op == 0:  # 64 MB+ of spaces after the config: deflates to a few KB
            z.writestr("config.json", config + b" " * (65 * 1024 * 1024))
        elif op == 1:
            for i in range(rng.choice([100, 5000])):
                z.writestr(f"assets/{i}", b"")
            z.writestr("config.json", config)
        elif op == 2:
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zi:
                zi.writestr("config.json", config)
            z.writestr("config.json", inner.getvalue())
        elif op == 3:
            import warnings

            z.writestr("config.json", config)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Duplicate name": the point of this input
                z.writestr("config.json", b"{}")
        else:  # many tiny values
            z.writestr("config.json", b"[" + b"{}," * (5 * 1024 * 1024) + b"{}]")
    data = bytearray(buf.getvalue())
    if op == 4 and rng.random() < 0.5:  # a declared size that lies
        i = data.find(b"PK\x01\x02")
        if i > 0:
            data[i + 24:i + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    return bytes(data)


def h5_model(config: bytes, rng: random.Random) -> bytes | None:
    """An ``.h5`` model file (h5py, when installed) whose attributes hold a mutated config, a
    training_config of the wrong shape, or bytes that are not JSON; None without h5py."""
    try:
        import h5py
    except ImportError:
        return None
    import tempfile

    training = rng.choice([
        None, '{"optimizer_config": {"class_name": "Adam", "config": "x"}}', '"adam"', "[1, 2]",
        '{"metrics": [{"class_name": "MeanMetricWrapper", "config": "acc"}], "loss": "mse"}', "\udcff",
        '{"loss": ' + "[" * 900 + "]" * 900 + "}"])
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.h5"
        with h5py.File(path, "w") as f:
            f.attrs["model_config"] = config if rng.random() < 0.9 else b"\xff\xfe not json"
            if training is not None:
                f.attrs["training_config"] = training.encode("utf-8", "surrogatepass")
            if rng.random() < 0.2:
                f.create_group("model_weights")
        return path.read_bytes()


def hostile(seed: int, count: int, big: int = 2_000) -> Iterator[tuple[str, str, bytes]]:
    """``count`` inputs of the hostile strategies, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    programs = [p for p in seed_files() if p.suffix == ".py"]
    configs = [p for p in seed_files() if p.suffix == ".json"]
    for i in range(count):
        kind = rng.randrange(4)
        if kind == 0 or not configs:
            src = rng.choice(programs)
            text = hostile_program(src.read_text(encoding="utf-8"), rng, big)
            yield f"hostile{seed}_{i:05d}_{src.stem}.py", ".py", text.encode("utf-8", "surrogatepass")
        elif kind == 1:
            src = rng.choice(programs)
            program = src.read_text(encoding="utf-8")
            if rng.random() < 0.5:
                program = hostile_program(program, rng, big)
            yield f"hostile{seed}_{i:05d}_{src.stem}.ipynb", ".ipynb", hostile_notebook(rng, program, big)
        elif kind == 2:
            src = rng.choice(configs)
            config = dump_json(mutate_json(json.loads(src.read_text()), rng)) if rng.random() < 0.5 \
                else src.read_bytes()
            yield f"hostile{seed}_{i:05d}_{src.stem}.keras", ".keras", keras_bomb(config, rng)
        else:
            src = rng.choice(configs)
            config = dump_json(mutate_json(json.loads(src.read_text()), rng)) if rng.random() < 0.7 \
                else src.read_bytes()
            data = h5_model(config, rng)
            if data is None:  # no h5py: a .keras archive instead
                yield f"hostile{seed}_{i:05d}_{src.stem}.keras", ".keras", keras_archive(config, rng)
            else:
                yield f"hostile{seed}_{i:05d}_{src.stem}.h5", ".h5", data


# -- the stream ---------------------------------------------------------------------------

def _mutants(seed: Path, rng: random.Random) -> tuple[str, bytes]:
    suffix = seed.suffix
    raw = seed.read_bytes()
    if suffix == ".keras":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            config = json.loads(z.read("config.json"))
        return ".keras", keras_archive(dump_json(mutate_json(config, rng)), rng)
    text = raw.decode("utf-8")
    if suffix == ".json":
        doc = json.loads(text)
        if rng.random() < 0.7:
            return ".json", dump_json(mutate_json(doc, rng))
        if rng.random() < 0.5:
            return ".keras", keras_archive(dump_json(mutate_json(doc, rng)), rng)
        return ".json", mutate_text(text, rng).encode("utf-8", "surrogatepass")
    if suffix == ".ipynb":
        nb = json.loads(text)
        cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        if cells and rng.random() < 0.8:
            cell = rng.choice(cells)
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = mutate_text(src, rng)
            return ".ipynb", dump_json(nb)
        return ".ipynb", dump_json(mutate_json(nb, rng))
    return suffix, mutate_text(text, rng).encode("utf-8", "surrogatepass")


def generate(seed: int, count: int) -> Iterator[tuple[str, str, bytes]]:
    """``count`` inputs ``(name, suffix, data)``, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    seeds = seed_files()
    for i in range(count):
        src = seeds[i % len(seeds)] if i < len(seeds) else rng.choice(seeds)
        if rng.random() < 0.15:
            suffix, data = ".yaml", random_spec(rng).encode("utf-8", "surrogatepass")
            origin = "spec"
        else:
            suffix, data = _mutants(src, rng)
            origin = src.stem
        if len(data) > SMALL:
            data = data[:SMALL] if suffix != ".keras" else data
        yield f"fuzz{seed}_{i:05d}_{origin}{suffix}", suffix, data


def random_spec(rng: random.Random) -> str:
    """A YAML spec of random layer calls (what :func:`yaml_specs` draws, from ``random``)."""
    shape = rng.choice(["[4]", "[8, 3]", "[16, 16, 3]", "[H, W, 3]", "[None, 4]", "[0]", "[12]"])
    lines = [f"input: {shape}", "layers:"]
    for j in range(rng.randint(1, 6)):
        call = random_call(rng)
        if rng.random() < 0.2:
            call = f"{call} * {rng.choice([1, 2, 100, 10001])}"
        lines.append(f"  - l{j}: {call}" if rng.random() < 0.5 else f"  - {call}")
    return "\n".join(lines) + "\n"


def yaml_specs():  # pragma: no cover - imported by the hypothesis test only
    """A hypothesis strategy for small YAML specs."""
    from hypothesis import strategies as st

    return st.randoms(use_true_random=False).map(random_spec)
