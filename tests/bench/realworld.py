"""The real-program benchmark: archcalc's reading of public Keras programs against a Keras oracle.

    python tests/bench/realworld.py --repos /work/corpus-repos [--out results.json] [--only TEXT]

Reads tests/realworld/manifest.json (references and the truth recorded by
tests/realworld/oracle.py), runs ``archcalc summary --format json`` on each program of the local
clones (the corpus keeps no copies of others' code), and classifies each program whose oracle
ran:

- exact: archcalc's chosen model has the oracle's totals (trainable, non-trainable) and every
  layer's output shape and counts;
- symbolic: archcalc answers with a formula over named sizes, and the formula gives the oracle's
  numbers once those sizes are given (``--set``, found from the oracle's shapes or totals);
- layers-differ: the totals, counts and model outputs are Keras's, but the layer table is cut
  differently (a base model that Keras lists layer by layer shown as one nested row);
- unresolved: a formula that does not give Keras's numbers with its data sizes given (or whose
  names are no data sizes, such as the parameters of a submodel it could not read);
- refused: a clear error (exit status 2 with ``error:``);
- wrong: a number printed as a number that differs from Keras (the worst class);
- crash: a traceback, an internal object, another exit status, or over the time limit.

Prints the figures and each failing class's programs with the first difference or the error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "tests" / "realworld" / "manifest.json"
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

sys.path.insert(0, str(ROOT / "tests" / "realworld"))

from compare import differences  # noqa: E402
from oracle import manifest_text  # noqa: E402

CLASSES = ("exact", "symbolic", "layers-differ", "era", "unresolved", "refused", "wrong", "crash")
FORBIDDEN = ("Traceback", "Unknown(", "Mod(", " object at 0x")
TIMEOUT = 60
#: bump when the classification changes, so cached results are redone
BENCH_VERSION = 2


def load_manifest() -> list[dict[str, Any]]:
    return list(json.loads(MANIFEST.read_text(encoding="utf-8"))["programs"])


def key(entry: dict[str, Any]) -> str:
    return f"{entry['repo']}:{entry['path']}"


def shape(value: Any) -> Any:
    """A shape as a tuple (sizes int, None or text); several shapes as a list of tuples."""
    if value is None:
        return None
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        items = [shape(v) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, list):
        return tuple(_size(v) for v in value)
    return _size(value)


def _size(v: Any) -> Any:
    if isinstance(v, (int, type(None))) or isinstance(v, list):
        return v
    try:
        f = float(v)
        return int(f) if f == int(f) else str(v)
    except (TypeError, ValueError):
        return str(v)


def truth(entry: dict[str, Any]) -> dict[str, Any]:
    """The oracle's chosen model in compare.differences' terms.

    A subclassed model's shapes come from its first call on data: their first size is that
    call's batch (fit's, a dataset's, predict's...), which the oracle's records do not pin
    down (a call traced by tf.function records None), so the batch axis of a subclassed
    model is not compared: None here, and None in archcalc's reading too (``eager_batch``).
    """
    model = entry["models"][entry["chosen"]]
    eager = model.get("class") not in ("Functional", "Sequential")

    def out(s: Any) -> Any:
        if eager and isinstance(s, list) and s and isinstance(s[0], list):
            return shape([[None, *x[1:]] if x else x for x in s])
        if eager and isinstance(s, list) and s:
            return shape([None, *s[1:]])
        return shape(s)

    return {
        "total": model["total"], "trainable": model["trainable"],
        "non_trainable": model["non_trainable"],
        "outputs": [out(o) for o in (model.get("outputs") or [])],
        "layers": [{"name": n, "type": t, "output": out(s), "trainable": tr,
                    "non_trainable": nt} for n, t, s, tr, nt in model["layers"]],
    }


def eager_batch(got: dict[str, Any]) -> dict[str, Any]:
    """archcalc's reading of a subclassed model with the batch axis left out (see ``truth``)."""

    def out(s: Any) -> Any:
        if isinstance(s, list):
            return [out(x) for x in s]
        return (None, *s[1:]) if isinstance(s, tuple) and s else s

    return {**got, "outputs": [out(o) for o in got["outputs"]],
            "layers": [{**r, "output": out(r["output"])} for r in got["layers"]]}


def has_symbol(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, (list, tuple)):
        return any(has_symbol(v) for v in value)
    return False


def reading(report: dict[str, Any]) -> dict[str, Any]:
    """archcalc's JSON report in the same terms."""
    return {
        "total": _size(report["total_params"]), "trainable": _size(report["trainable_params"]),
        "non_trainable": _size(report["non_trainable_params"]),
        "outputs": [shape(o) for o in report.get("outputs", [])],
        "layers": [{"name": r["name"], "type": r["type"], "output": shape(r["output_shape"]),
                    "trainable": _size(r["trainable_params"]),
                    "non_trainable": _size(r["non_trainable_params"])}
                   for r in report["layers"] if r["type"] != "InputLayer"],
    }


def archcalc(path: Path, extra: list[str]) -> tuple[int, str, str]:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="100", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "archcalc.cli", "summary", "--format", "json", str(path), *extra]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env,
                              cwd=str(path.parent))
    except subprocess.TimeoutExpired:
        return -1, "", f"over {TIMEOUT} s"
    return proc.returncode, proc.stdout, proc.stderr


SYMBOL = re.compile(r"^[A-Za-z_][\w.\[\]'\"]*$")


def bindings(ref: dict[str, Any], got: dict[str, Any]) -> dict[str, int] | None:
    """Sizes that make archcalc's symbols the oracle's numbers: from shapes, then totals.

    A bare name (``n_features``) takes the oracle's size where it stands; an expression of one
    unknown name (``2*X.shape[1]``, a total) is solved for it, in whole positive numbers.
    """
    found: dict[str, int] = {}
    equations: list[tuple[str, int]] = []

    def pair(a: Any, b: Any) -> bool:
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            return all(pair(x, y) for x, y in zip(a, b, strict=True))
        if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
            for x, y in zip(a, b, strict=True):
                if isinstance(y, str) and isinstance(x, int):
                    if SYMBOL.match(y):
                        if found.setdefault(y, x) != x:
                            return False
                    else:
                        equations.append((y, x))
            return True
        return True

    by_name = {g["name"]: g for g in got["layers"]}
    pairs = [(r, by_name[r["name"]]) for r in ref["layers"] if r["name"] in by_name]
    if len(pairs) < len(ref["layers"]):
        types = {r["type"] for r in ref["layers"]}
        mine = [g for g in got["layers"] if g["type"] in types]
        if len(mine) == len(ref["layers"]):
            pairs = list(zip(ref["layers"], mine, strict=True))
    for r, g in pairs:
        if not pair(r["output"], g["output"]):
            return None
    for r_out, g_out in zip(ref["outputs"], got["outputs"], strict=False):
        pair(r_out, g_out)
    for k in ("total", "trainable", "non_trainable"):
        if isinstance(got[k], str) and isinstance(ref[k], int):
            equations.append((got[k], ref[k]))
    try:
        import sympy
    except ImportError:
        return found
    for _ in range(3):  # each solved name can leave another equation with one unknown
        for text, value in equations:
            try:
                expr = sympy.sympify(_sym_text(text))
            except (sympy.SympifyError, TypeError, SyntaxError):
                continue
            expr = expr.subs({sympy.Symbol(_sym(k)): v for k, v in found.items()})
            free = sorted(expr.free_symbols, key=str)
            if len(free) != 1:
                continue
            try:
                solutions = sympy.solve(sympy.Eq(expr, value), free[0])
            except Exception:  # noqa: BLE001  (no solution: the program stays unresolved)
                continue
            for sol in solutions:
                if sol.is_integer and sol > 0:
                    name = _unsym(str(free[0]), text)
                    if name and name not in found:
                        found[name] = int(sol)
                    break
    return found


def _sym_text(text: str) -> str:
    return re.sub(r"[A-Za-z_][\w.\[\]'\"]*", lambda m: _sym(m.group(0)), text)


def _sym(name: str) -> str:
    return name.replace("[", "_").replace("]", "_").replace(".", "__").replace("'", "").replace(
        '"', "")


def _unsym(mangled: str, text: str) -> str | None:
    for cand in re.findall(r"[A-Za-z_][\w.\[\]'\"]*", text):
        if _sym(cand) == mangled:
            return cand
    return None


def classify(entry: dict[str, Any], repos: Path) -> dict[str, Any]:
    path = repos / entry["repo"].replace("/", "+") / entry["path"]
    start = time.time()
    code, out, err = archcalc(path, [])
    seconds = round(time.time() - start, 2)
    shown = out + err
    res: dict[str, Any] = {"program": key(entry), "seconds": seconds}
    for bad in FORBIDDEN:
        if bad in shown:
            line = next(x for x in shown.splitlines() if bad in x)
            return res | {"class": "crash", "detail": f"prints {bad!r}: {line[:300]}"}
    if code not in (0, 1) or not out.strip().startswith("{"):
        message = next((x for x in err.splitlines() if "error:" in x), err.strip()[:300])
        if code == 2 and "error:" in err:
            message = message.replace(str(path), entry["path"])
            return res | {"class": "refused", "detail": message[:400]}
        return res | {"class": "crash", "detail": f"exit {code}: {message[:300]}"}
    try:
        got = reading(json.loads(out))
    except (json.JSONDecodeError, KeyError) as e:
        return res | {"class": "crash", "detail": f"unreadable JSON report: {e}"}
    ref = truth(entry)
    if entry["models"][entry["chosen"]].get("class") not in ("Functional", "Sequential"):
        got = eager_batch(got)
    diffs = differences(ref, got)
    if not diffs:
        return res | {"class": "exact"}
    symbolic = any(isinstance(got[k], str) for k in ("total", "trainable", "non_trainable")) or (
        has_symbol(got["outputs"]) or any(has_symbol(g["output"]) for g in got["layers"]))
    if not symbolic:
        same = all(ref[k] == got[k] for k in ("total", "trainable", "non_trainable")) and sorted(
            map(repr, ref["outputs"])) == sorted(map(repr, got["outputs"]))
        if same:  # every number right; the layer table is cut differently (a nested model)
            return res | {"class": "layers-differ", "detail": diffs[0][:400]}
        changed = (json.loads(out).get("era") or {}).get("number_changes") or []
        if changed:  # the file's own era's number (Keras 2's GRU), stated in the report: not silent
            return res | {"class": "era", "detail": f"{changed[0].get('note', '')[:120]}: " + diffs[0][:280]}
        return res | {"class": "wrong", "detail": diffs[0][:400]}
    found = bindings(ref, got)
    if not found:
        return res | {"class": "unresolved", "detail": "no sizes make the formula Keras's: "
                      + diffs[0][:300]}
    extra = [arg for name, value in found.items() for arg in ("--set", f"{name}={value}")]
    code, out, err = archcalc(path, extra)
    try:
        pinned = reading(json.loads(out))
    except (json.JSONDecodeError, KeyError):
        return res | {"class": "unresolved", "set": found,
                      "detail": f"with --set {found}: {err.strip()[:300]}"}
    diffs = differences(ref, pinned)
    if not diffs:
        return res | {"class": "symbolic", "set": found}
    return res | {"class": "unresolved", "set": found,
                  "detail": f"with --set {found}: {diffs[0][:300]}"}


def reader_hash() -> str:
    """The archcalc sources' digest: a cached result holds only for the reader that gave it."""
    import hashlib

    h = hashlib.sha1()
    for f in sorted((ROOT / "archcalc").rglob("*")):
        if f.is_file() and f.suffix in (".py", ".json"):
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cached_classify(entry: dict[str, Any], repos: Path, cache: Path | None, reader: str) -> dict[str, Any]:
    if cache is None:
        return classify(entry, repos)
    import hashlib

    digest = hashlib.sha1(json.dumps([BENCH_VERSION, reader, entry], sort_keys=True).encode()).hexdigest()[:24]
    f = cache / f"{digest}.json"
    if f.exists():
        return dict(json.loads(f.read_text(encoding="utf-8")))
    res = classify(entry, repos)
    cache.mkdir(parents=True, exist_ok=True)
    f.write_text(json.dumps(res), encoding="utf-8")
    return res


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repos", type=Path, default=Path("/work/corpus-repos"))
    ap.add_argument("--out", type=Path, help="write the per-program results (JSON) here")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep each program's result here, per reader version (reruns are incremental)")
    ap.add_argument("--write-sets", action="store_true",
                    help="record the sizes found for symbolic programs in manifest.json")
    args = ap.parse_args(argv)
    entries = load_manifest()
    if args.only:
        entries = [e for e in entries if any(o in key(e) for o in args.only)]
    # a program that ended in an error midway (`partial`) may have built or trained another
    # model after that point: what it trained last is not known, so it is not measured
    no_oracle = [e for e in entries if e["oracle"] != "ran"]
    measured = [e for e in entries if e["oracle"] == "ran"]
    results = []
    reader = reader_hash()
    for n, entry in enumerate(measured, 1):
        res = cached_classify(entry, args.repos, args.cache, reader)
        res["oracle"] = entry["oracle"]
        results.append(res)
        print(f"[{n}/{len(measured)}] {res['class']:14} {res['program']}  "
              f"{res.get('detail', '')[:150]}", file=sys.stderr, flush=True)
    counts = Counter(r["class"] for r in results)
    total = len(results)
    print(f"\n{len(entries)} programs from {len({e['repo'] for e in entries})} repositories; "
          f"{len(no_oracle)} without an oracle (they do not run to the end under Keras 3 with "
          f"the stubs); "
          f"{total} measured:")
    for cls in CLASSES:
        pct = 100 * counts[cls] / total if total else 0
        print(f"  {cls:15} {counts[cls]:4}  {pct:5.1f} %")
    right = counts["exact"] + counts["symbolic"]
    if total:
        print(f"  {'right':15} {right:4}  {100 * right / total:5.1f} %  (exact + symbolic)")
    for cls in ("wrong", "crash", "unresolved", "layers-differ", "refused"):
        items = [r for r in results if r["class"] == cls]
        if not items:
            continue
        print(f"\n== {cls} ({len(items)})")
        for r in items:
            print(f"  {r['program']}\n      {r.get('detail', '')}")
    if args.out:
        args.out.write_text(json.dumps({"counts": dict(counts), "no_oracle": len(no_oracle),
                                        "results": results}, indent=1), encoding="utf-8")
    if args.write_sets:
        sets = {r["program"]: r["set"] for r in results if r.get("set")}
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        for e in manifest["programs"]:
            if key(e) in sets:
                e["set"] = sets[key(e)]
        MANIFEST.write_text(manifest_text(manifest["harness"], manifest["programs"]),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
