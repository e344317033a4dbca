"""`batch --shard i/N`: machines split one list into one shared folder, and a final run sees everything done."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Result
from readback import briefs_in
from test_batch import TINY, people, write_csv

from briefs.batch.shards import Shard, parse_shard
from briefs.manifest import MANIFEST_NAME, read_manifest

Cli = Callable[..., Result]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def index_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "index.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_shares_cover_every_recipient_once_and_differ_by_at_most_one() -> None:
    keys = [f"person{i}@example.org" for i in range(103)]
    shares = [Shard(i, 4).holding(keys) for i in range(1, 5)]
    assert sum(len(share) for share in shares) == len(keys)
    assert frozenset().union(*shares) == frozenset(keys)
    assert max(map(len, shares)) - min(map(len, shares)) <= 1


def test_a_recipient_stays_in_its_shard_whatever_the_order_of_the_rows() -> None:
    keys = [f"person{i}@example.org" for i in range(50)]
    assert Shard(2, 3).holding(keys) == Shard(2, 3).holding(reversed(keys))


@pytest.mark.parametrize("text", ["0/4", "5/4", "2", "a/b", "1/0", "-1/3", "2/99999999"])
def test_a_shard_that_names_no_share_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError, match=r"shard|i/N"):
        parse_shard(text)


def test_three_shards_then_a_final_run_write_every_brief_once_and_a_complete_index(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(10))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "--jobs", "1")
    folder = tmp_path / "out" / "tiny" / "recipients"
    written = []
    for index in (1, 2, 3):
        result = cli(*args, "--shard", f"{index}/3")
        assert result.code == 0, result.err
        assert f"shard {index}/3 of the list" in result.err and "without --shard" in result.err
        written.append(int(result.out.split("written ")[1].split(",")[0]))
    assert sorted(written) == [3, 3, 4]
    assert len(briefs_in(folder)) == 10
    assert all(row["docx"] for row in index_rows(folder))  # the last shard's index already holds every brief
    assert list(folder.glob(f"{MANIFEST_NAME}.*.part"))  # shards journal apart and leave merging to the final run

    final = cli(*args)
    assert final.code == 0, final.err
    assert "nothing changed: 10 briefs up to date" in final.out
    assert not list(folder.glob(f"{MANIFEST_NAME}.*.part"))
    assert len(read_manifest(folder / MANIFEST_NAME)) == 10
    assert [row["name"] for row in index_rows(folder)] == [f"Person {i:04d}" for i in range(10)]


def test_a_shard_does_not_remove_the_temporary_files_another_shard_is_writing(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    from briefs.output import TEMP_PREFIX

    recipients = write_csv(tmp_path / "r.csv", people(4))
    folder = tmp_path / "out" / "tiny" / "recipients"
    folder.mkdir(parents=True)
    in_flight = folder / f"{TEMP_PREFIX}another-shard.pdf"
    in_flight.write_bytes(b"%PDF- half written")
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "pdf", "--shard", "1/2")
    assert result.code == 0, result.err
    assert in_flight.exists()
    assert cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "pdf").code == 0
    assert not in_flight.exists()  # the final run tidies what a killed shard left


def test_pruning_in_a_shard_is_refused(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(2))
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "--shard", "1/2", "--prune")
    assert result.code == 2
    assert "--prune" in result.err and "without --shard" in result.err
    assert not (tmp_path / "out").exists()


def test_a_bad_row_is_reported_by_one_shard_only(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", [*people(4), ["Nobody", "astronaut", "n@example.org"]])
    reports = [cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "--shard", f"{i}/2").err.count("astronaut")
               for i in (1, 2)]
    assert sorted(reports) == [0, 1]


@pytest.mark.slow
def test_shards_running_at_the_same_time_lose_no_brief(tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(40))
    command = [sys.executable, str(ROOT / "generate.py"), "batch", str(recipients), "--data", str(tiny), "--out", str(tmp_path / "out"),
               "-f", "docx", "--jobs", "1"]
    runs = [subprocess.Popen([*command, "--shard", f"{i}/4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in (1, 2, 3, 4)]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    folder = tmp_path / "out" / "tiny" / "recipients"
    assert len(briefs_in(folder)) == 40
    final = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert "nothing changed: 40 briefs up to date" in final.stdout
    assert len(read_manifest(folder / MANIFEST_NAME)) == 40
    assert all(row["docx"] for row in index_rows(folder))
