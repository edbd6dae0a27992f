"""Run one stage for the workflow: log to the rule's log file, fail with one clear message.

The workflow's adapters in ``scripts/`` call :func:`run_stage`; it is the only place that
decides how a stage reports success or failure, so every rule behaves the same way.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trpm6_hsh.errors import Trpm6Error

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_path: str | Path | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, handlers=handlers, force=True)


def run_stage(log_path: str | Path | None, stage: Callable[..., Any], **arguments: Any) -> None:
    """Call ``stage(**arguments)``; on our own errors print one message and exit 1.

    Unexpected exceptions are bugs: their traceback goes to the log file only, and the
    user sees one line pointing at it.
    """
    configure_logging(log_path)
    log = logging.getLogger("trpm6_hsh")
    try:
        stage(**arguments)
    except Trpm6Error as error:
        log.error("%s", error)
        sys.exit(1)
    except OSError as error:  # the machine, not the input: a full disk, a lost mount, a file mode
        # The log file may be on the disk that is full: a failed write to it must not print a traceback.
        logging.raiseExceptions = False
        where = f"{error.filename}: " if error.filename else ""
        log.error("%s: %s%s. Fix: free disk space or correct the path's permissions, then rerun the same command "
                  "(finished outputs are kept; this step's are redone)", stage.__name__, where,
                  error.strerror or error)
        sys.exit(1)
    except Exception:  # a bug, not bad input: keep the details for the developers
        if log_path:
            with open(log_path, "a", encoding="utf-8") as handle:
                handle.write(traceback.format_exc())
        log.error("internal error in %s; details are in %s", stage.__name__, log_path or "stderr")
        if not log_path:
            traceback.print_exc()
        sys.exit(2)
