"""Faults a lab meets: shared servers (file modes), full disks (nothing half-written)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

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
    monkeypatch.setattr("trpm6_hsh.report.writer.dumps_indented", disk_full)
    with pytest.raises(OSError):
        _write(tmp_path, verdict=verdict_doc("changed"))
    assert {name: out[name].read_bytes() for name in ("html", "json", "tsv")} == before
    assert [path.name for path in out["html"].parent.iterdir() if path.name.endswith(".tmp")] == []


def test_a_stage_that_meets_a_full_disk_says_so_in_one_line(tmp_path, capsys):
    """Not "internal error": the user learns the disk is full, what to do, and that the plain rerun resumes."""
    from trpm6_hsh.runner import run_stage

    def write_report():
        raise OSError(28, "No space left on device")

    with pytest.raises(SystemExit) as stopped:
        run_stage(tmp_path / "report.log", write_report)
    assert stopped.value.code == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1, lines
    assert "write_report: No space left on device. Fix: free disk space" in lines[0]
    assert "rerun the same command" in lines[0] and "internal error" not in lines[0]


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


DISK_FULL_SAMPLES = ("DEMO01", "DEMO02", "DEMO04")
REPORT_STAGE = ("reports", "cohort", "logs/report")
"""What the report stage writes under results/: the disk is made to fill up in the middle of it."""


def _pages(size: int, page: int) -> int:
    return -(-size // page) * page if size else 0


def _report_files(results: Path) -> dict[str, bytes]:
    found = sorted([*(results / "reports").glob("*.report.*"), *(results / "cohort").glob("summary.*")])
    return {str(path.relative_to(results)): path.read_bytes() for path in found}


@pytest.mark.workflow
def test_a_full_disk_mid_run_stops_cleanly_and_the_plain_rerun_ends_byte_identical(tmp_path):
    """results/ on a real, small tmpfs that fills up while the reports are written: the run stops with a message
    naming the cause, no sample has a partial or truncated report set, and once space is freed the same command
    finishes with the reports of a run that never failed."""
    mount = os.environ.get("TRPM6_TMPFS")
    if not mount:
        pytest.skip("TRPM6_TMPFS is not set: it names a writable small tmpfs (.ci/run mounts one) to fill for real")
    from test_workflow import DEMO, user_setup

    workdir = tmp_path / "run"
    config = user_setup(workdir, DEMO, edit_rows=lambda rows: [r for r in rows if r["sample_id"] in DISK_FULL_SAMPLES])
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--configfile", str(config), "--cores", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=600, env=env)

    results = workdir / "results"
    clean_run = run()
    assert clean_run.returncode == 0, clean_run.stderr[-3000:]
    clean = _report_files(results)
    # Room on the tmpfs: everything before the report stage, and one and a half samples' report sets (files take
    # whole pages there), so the disk fills in the middle of the second report set whatever the job order.
    page = os.statvfs(mount).f_frsize
    sizes = {str(p.relative_to(results)): _pages(p.stat().st_size, page) for p in results.rglob("*") if p.is_file()}
    before_reports = sum(size for name, size in sizes.items() if not name.startswith(REPORT_STAGE))
    report_set = sum(size for name, size in sizes.items() if name.startswith(REPORT_STAGE)) // (
        len(DISK_FULL_SAMPLES) + 1)
    room = before_reports + report_set * 3 // 2
    shutil.rmtree(results)
    shutil.rmtree(workdir / ".snakemake")

    target = Path(mount) / f"trpm6-disk-full-{os.getpid()}"
    ballast = Path(mount) / f"trpm6-ballast-{os.getpid()}"
    try:
        target.mkdir()
        results.symlink_to(target, target_is_directory=True)
        stats = os.statvfs(mount)
        fill = stats.f_bavail * stats.f_frsize - room
        assert fill > 0, f"the tmpfs at {mount} is too small: it needs more than {room} bytes free"
        with open(ballast, "wb") as handle:
            handle.write(b"\0" * fill)

        full = run()
        output = full.stdout + full.stderr
        assert full.returncode != 0, "the run finished although the disk was full"
        assert "No space left on device" in output, output[-3000:]
        assert "Traceback" not in output, output[-3000:]
        assert "Error in rule write_report" in output, "the disk did not fill while a report was written: " + (
            "adjust the room computed above\n" + output[-3000:])
        complete = []
        for sample in DISK_FULL_SAMPLES:
            present = {ext: results / "reports" / f"{sample}.report.{ext}" for ext in ("html", "json", "tsv")}
            present = {ext: path for ext, path in present.items() if path.exists()}
            assert len(present) in (0, 3), f"{sample}: a partial report set {sorted(present)}"
            for path in present.values():
                assert path.read_bytes() == clean[f"reports/{path.name}"], f"{path.name} is truncated or differs"
            complete += [sample] if present else []
        assert len(complete) < len(DISK_FULL_SAMPLES), "no report was missing: the disk did not fill"
        assert not [p for p in target.rglob("*") if p.is_file() and p.name.endswith(".tmp")], "temporary files left"

        ballast.unlink()
        rerun = run()
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert _report_files(results) == clean
    finally:
        ballast.unlink(missing_ok=True)
        shutil.rmtree(target, ignore_errors=True)
