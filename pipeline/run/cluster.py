"""Dask engine: the per-document stage on a ``dask.distributed`` cluster.

Input: ``run.workers.Task`` records (a document's bytes travel with it: workers need no access to
the input folder), the ``Limits``, and a scheduler's address, or none for a cluster of this
machine (``LocalCluster``, one single-threaded worker process per job). Output: one
``run.workers.Result`` per task, as on this machine: the tables ``run.folder`` assembles from
them are byte for byte those of the local engine.

Documents travel in batches of consecutive ones (``make_batches``: up to ``BATCH_DOCUMENTS`` and
``BATCH_BYTES``), since every Dask task costs the scheduler and the client the same whatever it
holds. On each Dask worker a document runs in a ``run.workers.Sandbox``, a process of its own that
the worker forks once (with the dictionary and the task's PDF engine loaded) and gives one
document at a time: the same time, memory and crash limits hold for every document. At most a few tasks
per worker are submitted at a time, and each result is gathered and released as soon as it
comes, so the client holds a bounded number of documents, and a worker lost mid-run (killed,
its machine gone) costs only the documents it was running (its batch): the scheduler runs them again on
another worker. A batch whose workers keep dying (``KilledWorker``) is sent again a document a task,
and a document whose workers keep dying is ``crashed``.

Dask is an optional dependency: ``pip install 'kaigi-extract[dask]'``.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import Any, Callable, Iterable, Iterator

from ..records import Limits
from .workers import EngineError, Page, Result, Sandbox, Task, do_nothing, make_failure_result, warm_up

# Tasks submitted per worker at a time (a worker has its next documents at hand when a task ends).
TASKS_PER_WORKER = 2
# Documents sent in one task, at most, and their bytes: a task costs the scheduler and the client some
# milliseconds whatever it holds, as much as a small document's extraction (on 1,000 texts and two
# workers, one document a task kept the run's own process half a core busy). A document larger than
# ``BATCH_BYTES`` travels alone. A run of few documents gives each worker ``BATCH_SPREAD`` tasks at least.
BATCH_DOCUMENTS = 16
BATCH_BYTES = 1 << 20
BATCH_SPREAD = 4
# Seconds to wait for a scheduler to answer, and for a local cluster's workers to start.
CONNECT_TIMEOUT = 30
TICK_SECONDS = 0.5
INSTALL_HINT = "pip install 'kaigi-extract[dask]' (or .venv/bin/pip install -e '.[dask]' in a checkout)"


def find_dask_problem() -> str | None:
    """Say why the Dask engine cannot run here, or return None."""
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        return f"--engine dask needs dask[distributed], which is not installed: {INSTALL_HINT}"
    return None


# ---------------------------------------------------------------- on a Dask worker

SANDBOX_LOCK = threading.Lock()
# A sandbox for each set of limits and PDF engine the runs on this worker asked for.
SANDBOXES: dict[tuple[Limits, str], Sandbox] = {}


def extract_on_worker(task: Task, limits: Limits) -> Result:
    """Run one document in this Dask worker's sandbox for its limits and PDF engine (started on first
    use, with that engine loaded; replaced when a limit or a crash ends it); the body of every task
    the engine submits."""
    key = (limits, task.pdf_engine)
    with SANDBOX_LOCK:
        sandbox = SANDBOXES.get(key)
        if sandbox is None or not sandbox.is_alive():
            warm_up(task.pdf_engine)
            sandbox = SANDBOXES[key] = Sandbox(limits)
        return run_in_sandbox(sandbox, task, key)


def extract_batch_on_worker(tasks: list[Task], limits: Limits) -> list[Result]:
    """Run documents one after the other in this worker's sandbox (``extract_on_worker``): the body of
    every task the engine submits."""
    return [extract_on_worker(task, limits) for task in tasks]


def run_in_sandbox(sandbox: Sandbox, task: Task, key: tuple[Limits, str]) -> Result:
    """Give ``task`` to ``sandbox`` (``SANDBOXES[key]``) and wait for its result, within the time limit."""
    sandbox.give(task)
    while True:
        if not sandbox.conn.poll(max(0.0, sandbox.deadline - _now())):
            del SANDBOXES[key]
            sandbox.stop()
            return sandbox.timeout_result(task)
        try:
            message = sandbox.conn.recv()
        except (EOFError, OSError):
            del SANDBOXES[key]
            error = sandbox.describe_death()
            sandbox.stop()
            return make_failure_result(task, "crashed", error)
        if isinstance(message, Page):
            continue
        sandbox.task = None
        if message.recycle:
            del SANDBOXES[key]
            sandbox.stop()
        return message


def _now() -> float:
    import time

    return time.monotonic()


# ---------------------------------------------------------------- the client side


class DaskEngine:
    """Documents extracted on a Dask cluster: the scheduler at ``scheduler``, or a local cluster of
    ``jobs`` workers when it is None."""

    name = "dask"
    reads_files = False  # a document's bytes travel with it: the cluster's workers may not see the input folder

    def __init__(self, jobs: int, limits: Limits, scheduler: str | None = None,
                 tick: Callable[[], None] = do_nothing):
        problem = find_dask_problem()
        if problem:
            raise EngineError(problem)
        from distributed import Client, LocalCluster

        self.limits = limits
        self.tick = tick
        self.cluster: Any = None
        self.client: Any = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            else:
                self.cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address=":0")
                self.client = Client(self.cluster, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.close()
            where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise EngineError(f"cannot reach {where}: {exc}") from None

    def start(self, count: int) -> None:
        pass

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, tasks: Iterable[Task], count: int, ready: Callable[[], None] = do_nothing) -> Iterator[Result]:
        """Extract ``tasks``, a batch of them per Dask task (``make_batches``); yield each result as it comes,
        in any order (``ready`` is called once the first ones are submitted: the caller's own start-up, done
        while the cluster works). A worker lost while it ran a batch costs that batch a retry, on another
        worker; a batch whose workers keep dying (``KilledWorker``) is sent again a document a task, so that
        only the document that kills them ends ``crashed``."""
        from distributed import wait
        from distributed.scheduler import KilledWorker

        batches = make_batches(tasks, choose_batch_size(count, self.workers))
        retries: list[list[Task]] = []
        running: dict[Any, list[Task]] = {}
        exhausted = False
        capacity, asked = 0, -TICK_SECONDS
        while True:
            if _now() - asked >= TICK_SECONDS:  # asking the scheduler takes a round trip: not for every task
                capacity, asked = TASKS_PER_WORKER * self.workers, _now()
            while len(running) < capacity and (retries or not exhausted):
                batch = retries.pop() if retries else next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                first = batch[0]
                key = f"kaigi-extract-{first.index}-{len(batch)}-{first.digest[:16]}"
                running[self.client.submit(extract_batch_on_worker, batch, self.limits, key=key, pure=False)] = batch
            ready()  # once: it is then nothing
            ready = do_nothing
            if not running:
                return
            try:
                wait(list(running), timeout=TICK_SECONDS, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none finished yet
                pass
            self.tick()
            for future in [f for f in running if f.done()]:
                batch = running.pop(future)
                try:
                    results = future.result()
                except KilledWorker as exc:
                    if len(batch) > 1:
                        retries.extend([task] for task in reversed(batch))
                        results = []
                    else:
                        results = [make_failure_result(batch[0], "crashed",
                                                       f"every Dask worker that ran it was lost ({exc})")]
                except Exception as exc:  # noqa: BLE001 - a task that failed on the cluster costs its documents
                    results = [make_failure_result(task, "internal_error", f"{type(exc).__name__}: {exc}")
                               for task in batch]
                future.release()
                yield from results

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def choose_batch_size(count: int, workers: int) -> int:
    """Documents a task of a run of ``count`` documents on ``workers`` workers: ``BATCH_DOCUMENTS``, or fewer
    so that each worker has ``BATCH_SPREAD`` tasks at least."""
    return max(1, min(BATCH_DOCUMENTS, count // (max(1, workers) * BATCH_SPREAD)))


def make_batches(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    """Cut ``tasks`` into batches of consecutive documents: ``size`` of them at most, and no more than
    ``BATCH_BYTES`` of their bytes (a larger document alone)."""
    batch: list[Task] = []
    weight = 0
    for task in tasks:
        if batch and (len(batch) >= size or weight + task.size > BATCH_BYTES):
            yield batch
            batch, weight = [], 0
        batch.append(task)
        weight += task.size
    if batch:
        yield batch
