"""Stale Snakemake locks after a killed run: found and cleared, so the plain rerun is one command.

Snakemake leaves ``.snakemake/locks/`` behind when its process is killed (SIGKILL, lost node, out of memory)
and then refuses every run until ``--unlock``. A lock is stale only if no Snakemake process is working in
the folder. The check is made on this host only: the folder records which host last started a run here,
and locks from another host (a shared file system) are never touched.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

HOST_FILE = "trpm6-hsh.host"


def _ancestors(pid: int) -> set[int]:
    """``pid`` and its parents (our own Snakemake process started us)."""
    seen = set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return seen


def _snakemake_working_in(folder: Path, ignore: set[int]) -> bool:
    """Whether another Snakemake process on this host has ``folder`` as its working directory."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in ignore:
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if b"snakemake" in command and cwd == folder:
            return True
    return False


def clear_stale_locks(workdir: Path) -> bool:
    """Remove the locks of a killed run started on this host; record this host. Returns whether it cleared."""
    state = Path(workdir) / ".snakemake"
    locks = state / "locks"
    host = socket.gethostname()
    held = locks.is_dir() and any(locks.iterdir())
    cleared = False
    if held and Path("/proc/self").exists():
        recorded = (state / HOST_FILE).read_text().strip() if (state / HOST_FILE).is_file() else ""
        folder = Path(workdir).resolve()
        if recorded == host and not _snakemake_working_in(folder, _ancestors(os.getpid())):
            for lock in locks.iterdir():
                lock.unlink(missing_ok=True)
            cleared, held = True, False
    if not held:
        state.mkdir(parents=True, exist_ok=True)
        (state / HOST_FILE).write_text(host + "\n")
    return cleared


def locks_held(workdir: Path) -> bool:
    """Whether a run holds this folder's locks: another Snakemake is working here (or was killed elsewhere).

    Start-up steps that change files under ``results/`` wait until no run holds the folder; Snakemake then
    refuses to start this one anyway, naming the lock.
    """
    locks = Path(workdir) / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir())
