"""Fuzz inputs for every front-end: mutations of real models and generated specs.

Seeds are the bundled samples, the corpus programs (``tests/corpus/programs``) and the small
Keras-made files in ``tests/fuzz/seeds``. :func:`generate` turns a seed into a stream of
small inputs, each a ``(name, suffix, bytes)``, deterministically from ``random.Random``:
text mutations (lines dropped, duplicated or swapped, numbers replaced by extreme values,
YAML tags, control characters, deep nesting, truncation), structural JSON mutations (a
value replaced by one of another type), notebooks whose cells are mutated, and ``.keras``
archives holding a mutated config or damaged bytes. :func:`yaml_specs` is a hypothesis
strategy for specs built from layer calls with random arguments.
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
