"""The cluster of a multi-worker run: ``TF_CONFIG`` (or ``--workers``/``--worker-index``) read
and checked before TensorFlow is imported, so a bad description is one clear error at once.

TensorFlow's ``MultiWorkerMirroredStrategy`` reads the cluster from the ``TF_CONFIG``
environment variable, a JSON object::

    {"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}

Every worker gets the same ``cluster`` and its own ``task``. The chief (the one task that
writes files) is the ``chief`` task when the cluster has one, else worker 0 (TensorFlow's
``multi_worker_util.is_chief``). Left unchecked, a wrong description makes TensorFlow wait
for peers that never come, or fail deep inside with a traceback.

No TensorFlow here: this module is imported by the command before anything slow.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from archcalc.errors import UsageError

#: the jobs MultiWorkerMirroredStrategy trains with (an "evaluator" task only evaluates and
#: "ps" belongs to ParameterServerStrategy)
TRAINING_JOBS = ("chief", "worker")
#: TF_CONFIG larger than this is not a cluster description
MAX_TF_CONFIG = 1 << 20
_HOST = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)$")

HINT_TF_CONFIG = ('TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                  '"task": {"type": "worker", "index": 0}}\' (index 1 on the second machine), '
                  'or --workers host1:12345,host2:12345 --worker-index 0')


@dataclass(frozen=True)
class Cluster:
    """The training tasks (chief first, then workers, as "job" -> addresses) and this task."""

    jobs: dict[str, list[str]]
    task_type: str
    task_index: int
    #: where the description came from: "TF_CONFIG" or "--workers"
    source: str

    @property
    def count(self) -> int:
        """How many tasks train (chief and workers)."""
        return sum(len(self.jobs.get(j, [])) for j in TRAINING_JOBS)

    @property
    def is_chief(self) -> bool:
        if "chief" in self.jobs:
            return self.task_type == "chief"
        return self.task_type == "worker" and self.task_index == 0

    @property
    def rank(self) -> int:
        """This task's place among the training tasks (the chief 0)."""
        if self.task_type == "worker" and "chief" in self.jobs:
            return len(self.jobs["chief"]) + self.task_index
        return self.task_index

    @property
    def address(self) -> str:
        return self.jobs[self.task_type][self.task_index]

    @property
    def name(self) -> str:
        """``worker 1`` / ``chief``: as the messages say it."""
        return "chief" if self.task_type == "chief" else f"worker {self.task_index}"

    def tf_config(self) -> str:
        """The TF_CONFIG text TensorFlow reads for this task."""
        return json.dumps({"cluster": self.jobs, "task": {"type": self.task_type, "index": self.task_index}})


def check_address(text: Any, where: str) -> str:
    """``host:port`` (a name, IPv4 or ``[IPv6]``; port 1..65535), else a UsageError."""
    if not isinstance(text, str):
        raise UsageError(f"{where}: a worker's address must be a 'host:port' string, got {_shown(text)}",
                         hint=HINT_TF_CONFIG)
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not _HOST.match(host) or not 0 < int(port) < 65536:
        raise UsageError(f"{where}: '{_cut(text)}' is not a host:port address",
                         hint="write each worker as host:port with a port from 1 to 65535, "
                              "e.g. 10.0.0.1:12345 or [::1]:12345")
    return f"{host}:{int(port)}"


def from_tf_config(text: str | None) -> Cluster:
    """The cluster ``TF_CONFIG`` describes; UsageError for anything missing or malformed."""
    if text is None or not text.strip():
        raise UsageError("--strategy multi-worker needs the cluster: TF_CONFIG is not set and no --workers "
                         "were given", hint=HINT_TF_CONFIG)
    if len(text) > MAX_TF_CONFIG:
        raise UsageError(f"TF_CONFIG is {len(text)} characters long: that is no cluster description",
                         hint=HINT_TF_CONFIG)
    try:
        config = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"TF_CONFIG is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}",
                         hint=HINT_TF_CONFIG) from None
    if not isinstance(config, dict):
        raise UsageError(f"TF_CONFIG must be a JSON object, got {_shown(config)}", hint=HINT_TF_CONFIG)
    cluster = config.get("cluster")
    task = config.get("task")
    if not isinstance(cluster, dict) or not cluster:
        raise UsageError("TF_CONFIG has no \"cluster\" object (job name -> list of host:port)",
                         hint=HINT_TF_CONFIG)
    if not isinstance(task, dict):
        raise UsageError("TF_CONFIG has no \"task\" object: which task is this process?",
                         hint='add "task": {"type": "worker", "index": N}, N this machine\'s place in the list')
    jobs: dict[str, list[str]] = {}
    for job, addresses in cluster.items():
        if job == "ps":
            raise UsageError("TF_CONFIG has \"ps\" tasks: parameter servers belong to ParameterServerStrategy, "
                             "not to multi-worker training", hint="describe only \"worker\" (and \"chief\") tasks")
        if isinstance(addresses, dict):  # TensorFlow also accepts {"0": "host:port", ...}
            try:
                addresses = [addresses[k] for k in sorted(addresses, key=int)]
            except (ValueError, TypeError):
                raise UsageError(f"TF_CONFIG: the tasks of job \"{_cut(str(job))}\" must be a list of host:port",
                                 hint=HINT_TF_CONFIG) from None
        if not isinstance(addresses, list) or not addresses:
            raise UsageError(f"TF_CONFIG: job \"{_cut(str(job))}\" must be a non-empty list of host:port, "
                             f"got {_shown(addresses)}", hint=HINT_TF_CONFIG)
        jobs[str(job)] = [check_address(a, f"TF_CONFIG cluster.{_cut(str(job))}[{i}]")
                          for i, a in enumerate(addresses)]
    task_type, index = task.get("type"), task.get("index")
    if not isinstance(task_type, str) or task_type not in jobs:
        known = ", ".join(f'"{j}"' for j in jobs)
        raise UsageError(f"TF_CONFIG: task type {_shown(task_type)} is not a job of the cluster ({known})",
                         hint='set "task": {"type": "worker", "index": N}')
    if task_type not in TRAINING_JOBS:
        raise UsageError(f"TF_CONFIG: this task is a \"{task_type}\"; only \"chief\" and \"worker\" tasks train",
                         hint="run archcalc train on the chief and the workers")
    if isinstance(index, bool) or not isinstance(index, int):
        raise UsageError(f"TF_CONFIG: the task index must be a whole number, got {_shown(index)}",
                         hint='set "task": {"type": "worker", "index": N}')
    return _checked(Cluster(jobs, task_type, index, "TF_CONFIG"))


def from_options(workers: str, index: int | None) -> Cluster:
    """``--workers host:port,... --worker-index N`` as a cluster of workers."""
    if index is None:
        raise UsageError("--workers needs --worker-index: which of the workers is this process?",
                         hint="--worker-index 0 on the first machine of the list, 1 on the second...")
    addresses = [a for a in (p.strip() for p in workers.split(",")) if a]
    if not addresses:
        raise UsageError("--workers is empty", hint="--workers host1:12345,host2:12345")
    jobs = {"worker": [check_address(a, "--workers") for a in addresses]}
    return _checked(Cluster(jobs, "worker", index, "--workers"))


def _checked(c: Cluster) -> Cluster:
    tasks = c.jobs[c.task_type]
    if not 0 <= c.task_index < len(tasks):
        what = "--worker-index" if c.source == "--workers" else "TF_CONFIG's task index"
        raise UsageError(f"{what} {c.task_index} is out of range: the cluster has {len(tasks)} "
                         f"{c.task_type} task(s), numbered 0 to {len(tasks) - 1}",
                         hint="give each machine its own index, from 0")
    if len(c.jobs.get("chief", [])) > 1:
        raise UsageError(f"the cluster has {len(c.jobs['chief'])} chiefs; a cluster has at most one",
                         hint="make the others workers")
    if c.count < 2:
        raise UsageError(f"the cluster ({c.source}) has a single worker: multi-worker training needs two or more",
                         hint="on one machine use --strategy mirrored (its GPUs) or --strategy default")
    everyone = [a for j in TRAINING_JOBS for a in c.jobs.get(j, [])]
    twice = sorted({a for a in everyone if everyone.count(a) > 1})
    if twice:
        raise UsageError(f"the cluster ({c.source}) lists {', '.join(twice)} more than once",
                         hint="give every worker its own host:port")
    return c


def resolve(workers: str | None, index: int | None, environ: dict[str, str]) -> Cluster:
    """The cluster from ``--workers``/``--worker-index`` if given, else from ``TF_CONFIG``."""
    if workers is not None:
        return from_options(workers, index)
    if index is not None:
        raise UsageError("--worker-index needs --workers (the list of every worker's host:port)",
                         hint="--workers host1:12345,host2:12345 --worker-index 0, or set TF_CONFIG")
    return from_tf_config(environ.get("TF_CONFIG"))


def _cut(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "..."


def _shown(value: Any) -> str:
    return _cut(json.dumps(value)) if value is not None else "nothing"
