"""Lay out the corpus's repositories as local folders, each at its commit; propose programs.

    python tests/realworld/checkout.py --mirrors /work/.mirror --repos /work/corpus-repos
        extract every repository named in programs.txt, at its commit, from a bare git
        directory (``<mirrors>/owner+name/repo`` or a plain clone) into ``<repos>/owner+name``
    python tests/realworld/checkout.py --propose owner/name ... [--per-repo 10]
        print candidate programs.txt lines for repositories not yet listed (files that build
        and compile or fit a Keras model), for a person to review before adding them

The clones stay outside this repository: the corpus keeps references, never others' code.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from oracle import read_programs  # noqa: E402

EXCLUDED = {  # kept for independent measurement (issue 23)
    "keras-team/keras", "keras-team/keras-io", "keras-team/keras-applications",
    "fchollet/deep-learning-models", "fchollet/deep-learning-with-python-notebooks",
    "ageron/handson-ml2", "ageron/handson-ml3", "tensorflow/docs",
    "jeffheaton/t81_558_deep_learning", "Hvass-Labs/TensorFlow-Tutorials",
    "aymericdamien/TensorFlow-Examples", "zhixuhao/unet", "qqwweee/keras-yolo3",
    "Wardat-ISU/DeepLocalize", "neuralint/neuralint", "MachineNeil/keras-io-examples-revamped",
    "keras-rl/keras-rl", "philipperemy/keras-tcn", "oarriaga/face_classification",
    "jacobgil/keras-dcgan", "jason71995/Keras-GAN-Library", "titu1994/DenseNet",
    "divamgupta/image-segmentation-keras", "raghakot/keras-resnet", "tensfa/tensfa",
    "mohmehmo/defects4ml",
}


def git_dir(mirrors: Path, repo: str) -> Path:
    base = mirrors / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    raise FileNotFoundError(f"no git directory for {repo} under {mirrors}")


def git(gdir: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(gdir), *args], check=True,
                          capture_output=True, text=True).stdout


def extract(gdir: Path, commit: str, into: Path) -> None:
    """The tree at `commit` into `into` (blobs the snapshot lacks, files of 4 MB and more, skipped)."""
    rows = git(gdir, "ls-tree", "-r", "-l", "-z", commit).split("\0")
    blobs = []
    for row in rows:
        if not row:
            continue
        meta, path = row.split("\t", 1)
        mode, kind, sha, size = meta.split()
        if kind == "blob" and size.isdigit():
            blobs.append((sha, path, mode.startswith("12")))
    proc = subprocess.Popen(["git", "--git-dir", str(gdir), "cat-file", "--batch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    root = into.resolve()
    for sha, path, link in blobs:
        proc.stdin.write(sha.encode() + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            continue
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if link:  # a symbolic link inside the repository (a shared `lib`), kept as one
            pointed = (target.parent / data.decode(errors="replace")).resolve()
            if pointed.is_relative_to(root) and not target.exists() and not target.is_symlink():
                target.symlink_to(data.decode(errors="replace"))
            continue
        target.write_bytes(data)
    proc.stdin.close()
    proc.wait()


MODEL = re.compile(r"\b(Sequential|Model|Functional)\s*\(|keras\.Model\b|tf\.keras\.Model\b")
KERAS = re.compile(r"\bkeras\b")
TRAIN = re.compile(r"\.(fit|fit_generator|train_on_batch|compile|summary)\s*\(")
SKIP = re.compile(r"(^|/)(tests?|docs?|setup\.py|__init__\.py|\.ipynb_checkpoints)(/|$)")


def propose(mirrors: Path, repo: str, per_repo: int) -> list[str]:
    if repo in EXCLUDED:
        return []
    gdir = git_dir(mirrors, repo)
    commit = git(gdir, "rev-parse", "HEAD").strip()
    rows = git(gdir, "ls-tree", "-r", "-l", commit).splitlines()
    picks = []
    for row in rows:
        meta, path = row.split("\t", 1)
        size = meta.split()[3]
        if not path.endswith((".py", ".ipynb")) or SKIP.search(path):
            continue
        if not size.isdigit() or int(size) > (3_000_000 if path.endswith(".ipynb") else 300_000):
            continue
        try:
            text = git(gdir, "show", f"{commit}:{path}")
        except (subprocess.CalledProcessError, UnicodeDecodeError):
            continue
        if KERAS.search(text) and MODEL.search(text) and TRAIN.search(text) and (
                "import torch" not in text):
            picks.append(path)
    picks.sort(key=lambda p: hashlib.sha1(p.encode()).hexdigest())
    return [f"{repo} {commit} {p}" for p in sorted(picks[:per_repo])]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--repos", type=Path, default=Path("/work/corpus-repos"))
    ap.add_argument("--propose", nargs="*", default=None)
    ap.add_argument("--per-repo", type=int, default=10)
    args = ap.parse_args(argv)
    if args.propose is not None:
        for repo in args.propose:
            for line in propose(args.mirrors, repo, args.per_repo):
                print(line)
        return 0
    done: set[tuple[str, str]] = set()
    for p in read_programs():
        key = (p["repo"], p["commit"])
        if key in done:
            continue
        done.add(key)
        into = args.repos / p["repo"].replace("/", "+")
        stamp = into / ".corpus-commit"
        if stamp.is_file() and stamp.read_text().strip() == p["commit"] + " links":
            continue
        extract(git_dir(args.mirrors, p["repo"]), p["commit"], into)
        stamp.write_text(p["commit"] + " links\n")
        print(f"{p['repo']} @ {p['commit'][:12]} -> {into}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
