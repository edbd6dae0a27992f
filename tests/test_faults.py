"""Faults a lab meets: shared servers (file modes), full disks (nothing half-written)."""

from __future__ import annotations

import os
import stat
import types

import pytest
from conftest import REPO
from test_report import _write, verdict_doc

from trpm6_hsh.files import atomic_paths, write_text_atomic


@pytest.fixture()
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_written_files_follow_the_umask_so_colleagues_can_read_reports(tmp_path, umask_022):
    out = _write(tmp_path)
    for name in ("html", "json", "tsv"):
        assert stat.S_IMODE(out[name].stat().st_mode) == 0o644, name
    write_text_atomic(tmp_path / "plain.txt", "x")
    assert stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode) == 0o644


def test_a_failure_while_writing_leaves_no_file_of_the_set(tmp_path):
    targets = [tmp_path / "a.tsv", tmp_path / "a.html", tmp_path / "a.json"]
    with pytest.raises(OSError), atomic_paths(targets) as (first, second, _):
        first.write_text("rows")
        second.write_text("html")
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_a_report_that_fails_late_leaves_the_previous_report_untouched(tmp_path, monkeypatch):
    out = _write(tmp_path)
    before = {name: out[name].read_bytes() for name in ("html", "json", "tsv")}

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The JSON is the last of the three files: the TSV and HTML of the new report are already written.
    monkeypatch.setattr("trpm6_hsh.report.writer.json", types.SimpleNamespace(dumps=disk_full))
    with pytest.raises(OSError):
        _write(tmp_path, verdict=verdict_doc("changed"))
    assert {name: out[name].read_bytes() for name in ("html", "json", "tsv")} == before
    assert [path.name for path in out["html"].parent.iterdir() if path.name.endswith(".tmp")] == []


@pytest.mark.workflow
def test_a_killed_run_resumes_with_the_plain_command_and_ends_byte_identical(tmp_path):
    """Kill -9 mid-run, rerun the same command: no --unlock, no --rerun-incomplete, the same reports."""
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from test_workflow import DEMO, user_setup

    def keep(rows):
        return [row for row in rows if row["sample_id"] in ("DEMO01", "DEMO02", "DEMO04")]

    workdir = tmp_path / "run"
    config = user_setup(workdir, DEMO, edit_rows=keep)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir)]
    command += ["--configfile", str(config), "--cores", "1"]
    outputs = {}
    for name in ("clean", "killed"):  # the same folder and config both times, so even provenance must match
        shutil.rmtree(workdir / "results", ignore_errors=True)
        shutil.rmtree(workdir / ".snakemake", ignore_errors=True)
        if name == "killed":
            running = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while not list((workdir / "results" / "annotate").glob("*.tsv")) and time.monotonic() < deadline:
                time.sleep(0.2)
            running.send_signal(signal.SIGKILL)
            running.wait()
            assert list((workdir / ".snakemake" / "locks").iterdir()), "the killed run left no lock to clear"
            assert not (workdir / "results" / "cohort" / "summary.tsv").exists(), "killed too late to test resuming"
        rerun = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        outputs[name] = {p.name: p.read_bytes() for p in sorted((workdir / "results" / "reports").glob("*.json"))}
    assert outputs["clean"] and outputs["killed"] == outputs["clean"]
