"""``train --strategy multi-worker`` and ``emit --train --strategy multi-worker``, for real.

The cluster checks run without TensorFlow (a bad TF_CONFIG is an error at once, exit 2).
The Keras tests start real worker processes on 127.0.0.1 (CPU, RING collectives): two
workers train the notes' first network (samples/ann_64_64_10.yaml, 4,810 parameters) on
``--data auto``; the chief's saved model is read back; a worker killed mid-run and restarted
resumes from its BackupAndRestore backup; a worker left alone gives up after
--cluster-timeout; the emitted standalone program trains on two processes too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archcalc.keras_bridge.cluster import from_options, from_tf_config

ROOT = Path(__file__).resolve().parent.parent
ANN = ROOT / "samples" / "ann_64_64_10.yaml"
#: a worker process may not take longer than this (TensorFlow's import alone takes 10-40 s
#: on a busy two-core machine)
LIMIT = 150


# --- the cluster description, before TensorFlow -------------------------------------------------

BAD_TF_CONFIG = [
    ("{bad", "TF_CONFIG is not valid JSON"),
    ("[1, 2]", "TF_CONFIG must be a JSON object"),
    ('{"task": {"type": "worker", "index": 0}}', 'TF_CONFIG has no "cluster" object'),
    ('{"cluster": {"worker": ["a:1", "b:2"]}}', 'TF_CONFIG has no "task" object'),
    ('{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 2}}',
     "TF_CONFIG's task index 2 is out of range: the cluster has 2 worker task(s)"),
    ('{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "chief", "index": 0}}',
     "task type \"chief\" is not a job of the cluster"),
    ('{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": "0"}}',
     "the task index must be a whole number"),
    ('{"cluster": {"worker": ["a:1", "b:port"]}, "task": {"type": "worker", "index": 0}}',
     "'b:port' is not a host:port address"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 0}}', "has a single worker"),
    ('{"cluster": {"worker": ["a:1", "a:1"]}, "task": {"type": "worker", "index": 0}}', "lists a:1 more than once"),
    ('{"cluster": {"worker": ["a:1"], "ps": ["b:2"]}, "task": {"type": "worker", "index": 0}}',
     "parameter servers belong to ParameterServerStrategy"),
]


@pytest.mark.parametrize(("text", "message"), BAD_TF_CONFIG)
def test_a_bad_tf_config_is_one_clear_error(run_cli, monkeypatch, text, message):
    monkeypatch.setenv("TF_CONFIG", text)
    result = run_cli("train", str(ANN), "--strategy", "multi-worker")
    assert result.exit_code == 2
    assert result.output.startswith("archcalc: error: ")
    assert message in result.output and "hint: " in result.output
    assert "Traceback" not in result.output


BAD_OPTIONS = [
    ([], "TF_CONFIG is not set and no --workers were given"),
    (["--workers", "127.0.0.1:5000,127.0.0.1:5001"], "--workers needs --worker-index"),
    (["--worker-index", "0"], "--worker-index needs --workers"),
    (["--workers", "127.0.0.1:5000,127.0.0.1:5001", "--worker-index", "2"], "--worker-index 2 is out of range"),
    (["--workers", "127.0.0.1:5000,127.0.0.1", "--worker-index", "0"], "'127.0.0.1' is not a host:port address"),
    (["--workers", "127.0.0.1:5000,127.0.0.1:70000", "--worker-index", "0"], "is not a host:port address"),
    (["--workers", "127.0.0.1:5000", "--worker-index", "0"], "multi-worker training needs two or more"),
    (["--workers", "a:1,b:2", "--worker-index", "0", "--batch-size", "33"],
     "--batch-size 33 does not split evenly across 2 workers"),
]


@pytest.mark.parametrize(("args", "message"), BAD_OPTIONS)
def test_bad_cluster_options_are_one_clear_error(run_cli, monkeypatch, tmp_path, args, message):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    result = run_cli("train", str(ANN), "--strategy", "multi-worker", "-o", str(tmp_path / "m.keras"), *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("archcalc: error: ") and message in result.output, result.output
    assert not (tmp_path / "m.keras").exists()


def test_workers_without_the_strategy_are_refused(run_cli):
    result = run_cli("train", str(ANN), "--workers", "a:1,b:2", "--worker-index", "0")
    assert result.exit_code == 2
    assert "they go with --strategy multi-worker" in result.output


def test_cluster_descriptions_read_as_tensorflow_does():
    # TensorFlow's rule (multi_worker_util.is_chief): the "chief" task if there is one, else worker 0
    c = from_tf_config('{"cluster": {"chief": ["c:1"], "worker": ["w:2", "w:3"]}, '
                       '"task": {"type": "worker", "index": 0}}')
    assert (c.count, c.is_chief, c.rank, c.name, c.address) == (3, False, 1, "worker 0", "w:2")
    c = from_options(" [::1]:2222 , 10.0.0.2:2222 ", 0)
    assert c.is_chief and c.jobs == {"worker": ["[::1]:2222", "10.0.0.2:2222"]}
    assert json.loads(c.tf_config()) == {"cluster": {"worker": ["[::1]:2222", "10.0.0.2:2222"]},
                                         "task": {"type": "worker", "index": 0}}


# --- real workers on 127.0.0.1 ------------------------------------------------------------------

def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="100", TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    env.pop("TF_CONFIG", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    return env


class Workers:
    """Worker processes of one cluster, started in ``folder``; every one killed at the end."""

    def __init__(self, folder: Path, command: list[str], n: int = 2) -> None:
        self.folder = folder
        self.command = command
        self.addresses = ",".join(f"127.0.0.1:{p}" for p in _free_ports(n))
        self.procs: dict[int, subprocess.Popen] = {}
        self.logs: dict[int, Path] = {}

    def start(self, index: int, run: int = 0) -> None:
        self.logs[index] = self.folder / f"worker{index}.run{run}.txt"
        with open(self.logs[index], "w") as log:
            self.procs[index] = subprocess.Popen(
                ["nice", "-n", "10", *self.command, "--workers", self.addresses, "--worker-index", str(index)],
                cwd=self.folder, env=_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self, index: int) -> str:
        return self.logs[index].read_text()

    def wait(self, index: int, limit: float = LIMIT) -> int:
        return self.procs[index].wait(timeout=limit)

    def wait_for(self, index: int, pattern: str, limit: float = LIMIT) -> re.Match:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            found = re.search(pattern, self.output(index))
            if found:
                return found
            assert self.procs[index].poll() is None, self.output(index)
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} after {limit}s:\n{self.output(index)}")

    def kill(self, index: int) -> None:
        proc = self.procs[index]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # TensorFlow waiting in its runtime ignores SIGTERM
            proc.wait(timeout=30)

    def close(self) -> None:
        for index in self.procs:
            self.kill(index)


def _archcalc(*args: str) -> list[str]:
    return [sys.executable, "-m", "archcalc", "train", str(ANN), "--strategy", "multi-worker",
            "--data", "auto", "--samples", "120", "--batch-size", "16", "--validation-split", "0", *args]


@pytest.mark.keras
def test_two_workers_train_and_only_the_chief_saves(tmp_path):
    workers = Workers(tmp_path, _archcalc("--epochs", "2", "--plot", "curves.png", "--json", "-o", "model.keras"))
    try:
        for i in (0, 1):
            workers.start(i)
        codes = [workers.wait(i) for i in (0, 1)]
    finally:
        workers.close()
    chief, other = workers.output(0), workers.output(1)
    assert codes == [0, 0], chief + other
    assert "batch: the global batch of 16 is split across the 2 workers, 8 samples per worker per step" in chief
    assert "strategy: MultiWorkerMirroredStrategy over 2 workers, 2 replica(s) in all (RING collectives)" in chief
    assert "worker 1 is not the chief (the chief writes model.keras)" in other
    reports = [json.loads(text.strip().splitlines()[-1]) for text in (chief, other)]
    assert reports[0]["output"] == "model.keras" and reports[0]["plot"] == "curves.png"
    assert reports[1]["output"] is None and reports[1]["plot"] is None
    assert reports[0]["worker"] == {"task": "worker 0", "workers": 2, "chief": True, "resumed_after_epoch": 0}
    # one synchronous model: both workers log the same (all-reduced) numbers
    assert reports[0]["history"] == reports[1]["history"] and len(reports[0]["history"]["loss"]) == 2
    assert reports[0]["evaluation"] == reports[1]["evaluation"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("worker")) == [
        "curves.png", "model.keras"]  # the backups are gone after a finished run
    # the chief's model reads back as the spec: archcalc's reading of the saved file ...
    from archcalc.engine import analyze
    from archcalc.readers import load

    spec, saved = analyze(load(ANN)), analyze(load(tmp_path / "model.keras"))
    assert [(r.output_shape, r.trainable_params, r.non_trainable_params) for r in saved.rows] == [
        (r.output_shape, r.trainable_params, r.non_trainable_params) for r in spec.rows]
    # ... and Keras's: the notes' 4,810 parameters, (64 + 1) x 64 + (64 + 1) x 10
    import keras

    model = keras.models.load_model(tmp_path / "model.keras")
    assert [(type(layer).__name__, layer.output.shape, layer.count_params()) for layer in model.layers] == [
        ("Dense", (None, 64), 4160), ("Dense", (None, 10), 650)]


@pytest.mark.keras
def test_a_killed_worker_restarted_resumes_from_its_backup(tmp_path):
    workers = Workers(tmp_path, _archcalc("--epochs", "6", "-o", "model.keras"))
    try:
        for i in (0, 1):
            workers.start(i)
        workers.wait_for(1, r"epoch 2/6 ")  # printed after BackupAndRestore saved epoch 2
        workers.kill(1)
        # the survivor does not hang: TensorFlow's coordination service finds the peer gone
        assert workers.wait(0) == 2, workers.output(0)
        lost = workers.output(0)
        assert "archcalc: error: multi-worker training stopped on worker 0" in lost, lost
        assert "hint: restart every worker with the same command; each resumes from its backup" in lost
        saved = [json.loads((tmp_path / f"model.backup/worker-{i}/training_metadata.json").read_text())["epoch"]
                 for i in (0, 1)]
        assert saved[0] == saved[1] and 2 <= saved[0] < 6
        for i in (0, 1):
            workers.start(i, run=1)
        codes = [workers.wait(i) for i in (0, 1)]
    finally:
        workers.close()
    for i in (0, 1):
        out = workers.output(i)
        assert codes[i] == 0, out
        assert f"backup: resuming from model.backup/worker-{i} after epoch {saved[0]}/6" in out
        epochs = [int(n) for n in re.findall(r"^epoch (\d+)/6 ", out, re.M)]
        assert epochs == list(range(saved[0] + 1, 7)), out
    assert (tmp_path / "model.keras").is_file() and not (tmp_path / "model.backup").exists()


@pytest.mark.keras
def test_a_worker_alone_gives_up_after_the_cluster_timeout(tmp_path):
    workers = Workers(tmp_path, _archcalc("--epochs", "1", "--cluster-timeout", "3", "-o", "model.keras"))
    try:
        workers.start(0)
        code = workers.wait(0)
    finally:
        workers.close()
    out = workers.output(0)
    assert code == 2, out
    assert "archcalc: error: the cluster did not assemble within 3s: worker 0 (127.0.0.1:" in out
    assert "hint: start every worker" in out
    assert not (tmp_path / "model.keras").exists()


# --- emit --train ---------------------------------------------------------------------------------

def test_emitted_training_programs_pass_ruff(tmp_path):
    from archcalc.keras_bridge.codegen_training import generate_training
    from archcalc.readers import load

    written = 0
    for path in sorted((ROOT / "samples").glob("*.yaml")):
        graph = load(path)
        if len(graph.inputs) != 1 or len(graph.outputs) != 1:
            continue
        for strategy in ("default", "mirrored", "multi-worker"):
            (tmp_path / f"{path.stem}_{strategy.replace('-', '_')}.py").write_text(
                generate_training(graph, strategy=strategy))
            written += 1
    assert written > 30
    # ruff's defaults, and the project's own stricter rule set
    for args in ([], ["--config", str(ROOT / "pyproject.toml")]):
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *args, str(tmp_path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_emit_train_options_go_with_train(run_cli):
    result = run_cli("emit", str(ANN), "--strategy", "multi-worker")
    assert result.exit_code == 2 and "--strategy describe the training program: they go with --train" in result.output
    two = run_cli("emit", str(ROOT / "samples" / "multi_input.yaml"), "--train")
    assert two.exit_code == 2 and "one input and one output" in two.output


@pytest.mark.keras
def test_the_emitted_multi_worker_program_trains_on_two_processes(tmp_path, run_cli):
    from sklearn.datasets import load_digits

    program = tmp_path / "train_ann.py"
    result = run_cli("emit", str(ANN), "--train", "--strategy", "multi-worker", "--epochs", "2", "-o", str(program))
    assert result.exit_code == 0, result.output
    import numpy as np

    digits = load_digits()  # the notes' 8 x 8 digits: 64 inputs, 10 classes
    np.savez(tmp_path / "digits.npz", x=digits.data[:400] / 16.0, y=digits.target[:400])
    hosts = [f"127.0.0.1:{p}" for p in _free_ports(2)]
    procs, logs = [], []
    try:
        for i in (0, 1):
            env = _env()
            env["TF_CONFIG"] = json.dumps({"cluster": {"worker": hosts}, "task": {"type": "worker", "index": i}})
            logs.append(tmp_path / f"worker{i}.txt")
            with open(logs[-1], "w") as log:
                procs.append(subprocess.Popen(
                    ["nice", "-n", "10", sys.executable, str(program), "--data", "digits.npz", "--batch-size", "20"],
                    cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        codes = [p.wait(timeout=LIMIT) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=30)
    chief, other = (log.read_text() for log in logs)
    assert codes == [0, 0], chief + other
    assert "worker-0: the global batch of 20 is split across 2 workers, 10 samples each per step" in chief
    assert "saved model.keras" in chief and "saved" not in other
    assert re.search(r"^Epoch 2/2", chief, re.M), chief
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "digits.npz", "model.keras", "train_ann.py", "worker0.txt", "worker1.txt"]
    import keras

    model = keras.models.load_model(tmp_path / "model.keras")
    assert model.count_params() == 4810  # the notes: (64 + 1) x 64 + (64 + 1) x 10


@pytest.mark.keras
def test_the_emitted_single_machine_program_trains(tmp_path, run_cli):
    from sklearn.datasets import load_digits

    program = tmp_path / "train_ann.py"
    assert run_cli("emit", str(ANN), "--train", "--epochs", "1", "-o", str(program)).exit_code == 0
    import numpy as np

    digits = load_digits()
    np.savez(tmp_path / "digits.npz", x=digits.data[:200] / 16.0, y=digits.target[:200])
    done = subprocess.run(["nice", "-n", "10", sys.executable, str(program), "--data", "digits.npz"],
                          cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=LIMIT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "saved model.keras" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digits.npz", "model.keras", "train_ann.py"]
