"""`batch --executor dask`: the same jobs on a Dask cluster give the same files, and a killed worker's jobs are redone."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, Result
from readback import briefs_in, opens

from briefs.batch import Done, connect_dask, plan_batch, run_batch
from briefs.batch import executors as executors_module
from briefs.batch.keys import fingerprints
from briefs.manifest import MANIFEST_NAME, read_manifest
from briefs.output import TEMP_PREFIX
from briefs.pipeline import load_inputs

Cli = Callable[..., Result]

needs_dask = pytest.mark.skipif(find_spec("distributed") is None, reason="needs distributed: pip install 'briefs[dask]'")
DATA_ID = "us-japan-critical-minerals-2025"
RECIPIENTS = 40
TEMPLATE = ('{% extends "builtin/brief.html.j2" %}{% block disclaimer %}'
            '<aside class="disclaimer"><p>Prepared for {{ recipient.email }}</p></aside>{% endblock %}\n')


@pytest.fixture(scope="module")
def inputs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the recipients file and a templates folder that prints a CSV column."""
    folder = tmp_path_factory.mktemp("dask-inputs")
    with (folder / "r.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "audience", "email"])
        writer.writerows([f"Person {i:04d}", AUDIENCES[i % len(AUDIENCES)], f"p{i}@example.org"] for i in range(RECIPIENTS))
    (folder / "tpl").mkdir()
    (folder / "tpl" / "brief.html.j2").write_text(TEMPLATE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(inputs_dir: Path) -> Path:
    """The same batch written in this process (--jobs 1): what every cluster run must match byte for byte."""
    from conftest import run_cli

    out = inputs_dir / "one"
    result = run_cli("batch", inputs_dir / "r.csv", "--data", DEFAULT_DATA, "--templates", inputs_dir / "tpl", "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    return out / DATA_ID / "recipients"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    # On loopback, no dashboard, and the scheduler's HTTP routes on a free port (by default they take 8787, or warn).
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": ":0"}) as local:
        yield local


def same_files(folder: Path, reference: Path) -> None:
    mine, theirs = briefs_in(folder), briefs_in(reference)
    assert [p.name for p in mine] == [p.name for p in theirs] and len(mine) == 2 * RECIPIENTS
    assert [p.name for p in mine if p.read_bytes() != (reference / p.name).read_bytes()] == []
    manifest, expected = read_manifest(folder / MANIFEST_NAME), read_manifest(reference / MANIFEST_NAME)
    assert {path: (r.key, r.sha256, r.facts, r.sources, r.line) for path, r in manifest.items()} == {
        path: (r.key, r.sha256, r.facts, r.sources, r.line) for path, r in expected.items()}


@pytest.mark.slow
@needs_dask
def test_a_dask_cluster_writes_the_same_bytes_as_one_process(
    cli: Cli, cluster: Any, inputs_dir: Path, reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(inputs_dir)  # relative paths: the workers, started elsewhere, still find the templates
    args = ("batch", "r.csv", "--data", DEFAULT_DATA, "--templates", "tpl", "--out", "dask", "--executor", "dask",
            "--scheduler", cluster.scheduler_address)
    result = cli(*args)
    assert result.code == 0, result.err
    assert f"80 to write (on the Dask cluster at {cluster.scheduler_address}, 2 workers)" in result.err
    assert "written 80, skipped 0, failed 0" in result.out
    folder = inputs_dir / "dask" / DATA_ID / "recipients"
    same_files(folder, reference)
    assert len((folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()) == 2 * RECIPIENTS
    again = cli(*args)
    assert again.code == 0 and "nothing changed: 80 briefs up to date" in again.out, again.err


@pytest.mark.slow
@needs_dask
def test_workers_that_differ_from_this_machine_refuse_the_batch_before_anything_is_written(
    cli: Cli, cluster: Any, inputs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = executors_module.fingerprints
    monkeypatch.setattr(executors_module, "fingerprints", lambda *args: dataclasses.replace(planned(*args), run="0" * 64))
    result = cli("batch", inputs_dir / "r.csv", "--data", DEFAULT_DATA, "--out", tmp_path / "out", "--executor", "dask",
                 "--scheduler", cluster.scheduler_address)
    assert result.code == 1
    assert "2 of the 2 Dask workers cannot write these briefs" in result.err
    assert "differs from this machine in code, templates or the page size" in result.err
    assert list((tmp_path / "out" / DATA_ID / "recipients").iterdir()) == []


@pytest.mark.slow
@needs_dask
@pytest.mark.skipif(sys.platform == "win32", reason="kills a worker process with SIGKILL")
def test_a_killed_workers_jobs_are_redone_and_the_manifest_lists_each_brief_once(
    cluster: Any, inputs_dir: Path, reference: Path, tmp_path: Path
) -> None:
    inputs = load_inputs([DEFAULT_DATA], [inputs_dir / "tpl"], recipients=True)
    plan = plan_batch(inputs_dir / "r.csv", inputs, [inputs_dir / "tpl"], tmp_path / "out", ("docx", "pdf"))
    executor = connect_dask(cluster.scheduler_address)
    killed: list[tuple[int, int]] = []  # (pid, recipients back when it was killed)
    finished: list[Done] = []

    def kill_a_busy_worker(done: Done) -> None:
        finished.append(done)
        if killed:
            return
        busy = [address for address, keys in executor.client.processing().items() if keys]
        if busy:
            pid = executor.client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append((pid, len(finished)))

    try:
        before = set(executor.client.run(os.getpid).values())
        summary = run_batch(plan, executor=executor, on_done=kill_a_busy_worker)
        executor.client.wait_for_workers(2, timeout=30)
        after = set(executor.client.run(os.getpid).values())
    finally:
        executor.close()
    assert killed and killed[0][1] < RECIPIENTS, "no worker was killed while it had a chunk to run"
    assert killed[0][0] in before and killed[0][0] not in after  # the nanny started a new worker in its place
    assert (summary.written, summary.failed) == (2 * RECIPIENTS, 0), summary.failures
    assert sorted(done.task.line for done in finished) == [task.line for task in plan.tasks]  # each recipient came back once
    folder = tmp_path / "out" / DATA_ID / "recipients"
    assert all(opens(path) for path in briefs_in(folder))
    assert not list(folder.glob(TEMP_PREFIX + "*"))
    lines = (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({json.loads(line)["path"] for line in lines}) == 2 * RECIPIENTS
    same_files(folder, reference)


def test_without_distributed_the_dask_executor_says_what_to_install(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,audience,email\nAnn,investor,a@x.org\n", encoding="utf-8")
    result = cli("batch", recipients, "--data", DEFAULT_DATA, "--out", tmp_path / "out", "--executor", "dask",
                 "--scheduler", "tcp://127.0.0.1:8786")
    assert result.code == 1
    assert "install briefs[dask]" in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--executor", "dask"), "--executor dask needs --scheduler ADDRESS"),
        (("--scheduler", "tcp://127.0.0.1:8786"), "--scheduler goes with --executor dask"),
        (("--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2"), "--jobs counts local worker processes"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(cli: Cli, tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    result = cli("batch", tmp_path / "r.csv", "--out", tmp_path / "out", *options)
    assert result.code == 2 and message in result.err


@needs_dask
def test_an_unreachable_scheduler_exits_1_naming_it(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors_module, "CONNECT_TIMEOUT", 0.5)
    started = time.monotonic()
    result = cli("batch", tmp_path / "r.csv", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert result.code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.err
    assert time.monotonic() - started < 10


def test_a_worker_that_does_not_see_what_the_client_planned_with_refuses_the_plan(tmp_path: Path) -> None:
    """What every Dask worker checks before building its renderer: the shared output folder, then the same code and files."""
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,audience,email\nAnn,investor,a@x.org\n", encoding="utf-8")
    plan = plan_batch(recipients, load_inputs([DEFAULT_DATA]), [], tmp_path / "out", ("docx",))
    setup = executors_module._absolute(plan.setup)
    prints = fingerprints(setup.template_dirs, setup.styles, setup.page_size)

    unseen = executors_module._build_worker(pickle.dumps((setup, plan.formats, prints)))
    assert isinstance(unseen, executors_module.WorkerMismatch)
    assert "does not see the output folder" in str(unseen) and "every worker shares" in str(unseen)

    plan.folder.mkdir(parents=True)
    assert isinstance(executors_module._build_worker(pickle.dumps((setup, plan.formats, prints))), executors_module.Worker)
    other = type(prints)(prints.run, {"docx": "0" * 64})
    differs = executors_module._build_worker(pickle.dumps((setup, plan.formats, other)))
    assert isinstance(differs, executors_module.WorkerMismatch)
    assert "the docx writer's libraries, fonts or style files" in str(differs) and "code, templates" not in str(differs)
