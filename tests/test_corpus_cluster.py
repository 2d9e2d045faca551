"""Corpus mode on a real Dask cluster on this machine (scheduler + two worker processes on 127.0.0.1):
the same corpus gives the same TMX, JSONL and report as the local run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.test_corpus import ROOT, check_units, copy_tree, make_corpus, outputs, run_corpus

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes (one thread each), stopped afterwards."""
    pytest.importorskip("distributed")
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ALIGNER_CACHE_DIR=str(tmp_path / "cache-cluster"))
    log = (tmp_path / "cluster.log").open("wb")
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> None:
        procs.append(subprocess.Popen([sys.executable, "-m", *args], env=env, cwd=tmp_path, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True))

    try:
        start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
              "--dashboard-address", ":0")
        for name in ("w1", "w2"):
            start("distributed.cli.dask_worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                  "--nworkers", "1", "--name", name, "--dashboard-address", ":0")
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)
        log.close()


def test_cluster_run_matches_the_local_run(tmp_path: Path, dask_cluster: str) -> None:
    from distributed import Client

    make_corpus(tmp_path / "local", 6, 10)
    formats = FIXTURES / "formats"  # and two pairs in mixed formats (PDF with DOCX, ODT with HTML)
    for name, fixture in (("kiep.ko.pdf", "kiep_ko.pdf"), ("kiep.en.docx", "kiep_en.docx"),
                          ("web.ko.odt", "kiep_ko.odt"), ("web.en.html", "kiep_en.html")):
        (tmp_path / "local" / name).write_bytes((formats / fixture).read_bytes())
    copy_tree(tmp_path / "local", tmp_path / "cluster")
    res = run_corpus(str(tmp_path / "local"), "-o", str(tmp_path / "out-local"), "--workers", "1", "-q",
                     cache=tmp_path / "cache-local")
    assert res.returncode == 0, res.stderr
    res = run_corpus(str(tmp_path / "cluster"), "-o", str(tmp_path / "out-cluster"), "--engine", "dask",
                     "--address", dask_cluster, cache=tmp_path / "cache-client")
    assert res.returncode == 0, res.stderr
    assert outputs(tmp_path / "out-cluster") == outputs(tmp_path / "out-local")
    check_units(tmp_path / "out-cluster")

    def state(dask_worker: Any) -> tuple[int, bool]:
        from aligner.embed import encoders

        return dask_worker.state.executed_count, bool(encoders._loaded)

    with Client(dask_cluster, timeout="30s") as client:
        per_worker = client.run(state)
    assert len(per_worker) == 2
    assert all(loaded for _, loaded in per_worker.values())  # the encoder lives in each worker
    assert sum(n for n, _ in per_worker.values()) >= 8
    assert not any((tmp_path / "cache-client").glob("*.sqlite"))  # the client itself embedded nothing
