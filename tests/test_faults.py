"""Faults a lab meets: shared servers (file modes), full disks (nothing half-written)."""

from __future__ import annotations

import os
import stat
import types

import pytest
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
