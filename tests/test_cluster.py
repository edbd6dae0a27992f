"""The cluster profiles and the CI cluster scripts stay consistent with the rules.

The real SLURM run is in .ci/run (scripts/ci/run_slurm_demo.sh): it needs root and the Debian SLURM
daemons, which a unit test cannot start.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
import yaml
from conftest import REPO

PROFILES = REPO / "workflow" / "profiles"


def profile(name: str) -> dict:
    return yaml.safe_load((PROFILES / name / "config.yaml").read_text())


def groups_in_rules() -> set[str]:
    text = "".join(path.read_text() for path in (REPO / "workflow" / "rules").glob("*.smk"))
    return set(re.findall(r'^    group:\s*"([^"]+)"', text, re.M))


def test_slurm_profile_uses_the_official_executor_without_an_account():
    settings = profile("slurm")
    assert settings["executor"] == "slurm"
    assert "slurm_account" not in yaml.safe_dump(settings), "an account is site-specific: pass it on the command line"
    assert {"mem_mb", "runtime"} <= set(settings["default-resources"])


def test_slurm_profile_bundles_every_group_the_rules_declare():
    declared = groups_in_rules()
    assert {"batch", "sample"} <= declared
    bundled = dict(item.split("=") for item in profile("slurm")["group-components"])
    assert declared <= set(bundled), f"groups without group-components: {sorted(declared - set(bundled))}"
    assert all(int(size) > 1 for size in bundled.values())


def test_local_profile_runs_in_this_process():
    settings = profile("local")
    assert "executor" not in settings
    assert settings["cores"] == "all"


def test_per_sample_and_per_batch_rules_are_grouped():
    from test_rules_resources import all_rules

    for rule in all_rules():
        output = rule.directives.get("output", "")
        group = rule.directives.get("group", "").strip().strip('"')
        if "{sample}" in output:
            assert group == "sample", f"rule {rule.name} writes per sample but is not in group 'sample'"
        elif "{batch}" in output:
            assert group == "batch", f"rule {rule.name} writes per batch but is not in group 'batch'"


@pytest.mark.parametrize("script", sorted((REPO / "scripts" / "ci").glob("*.sh")), ids=lambda p: p.name)
def test_ci_cluster_scripts_are_valid_bash(script):
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0


@pytest.mark.skipif(
    importlib.util.find_spec("snakemake_executor_plugin_slurm") is None,
    reason="snakemake-executor-plugin-slurm not installed (pip install -e '.[cluster]')",
)
def test_slurm_profile_dry_run_groups_the_demo():
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--workflow-profile", str(PROFILES / "slurm")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert "Group job batch" in output or "group job" in output.lower(), output[-2000:]


def test_main_environment_has_a_pinned_container_for_sdm_apptainer():
    snakefile = (REPO / "workflow" / "Snakefile").read_text()
    image = re.search(r'^container:\s*"docker://([^"]+)"', snakefile, re.M)
    assert image and not image.group(1).endswith(":latest") and ":" in image.group(1)
    recipe = (REPO / "workflow" / "envs" / "trpm6.Dockerfile").read_text()
    base = re.search(r"^FROM\s+(\S+)", recipe, re.M).group(1)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", base), base
    # The pins come from pyproject.toml, which tests/test_packaging.py ties to workflow/envs/trpm6.yaml.
    assert "COPY pyproject.toml" in recipe and "pip install --no-cache-dir /opt/trpm6-hsh" in recipe
