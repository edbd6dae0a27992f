"""The cluster profiles and the CI cluster scripts stay consistent with the rules.

The real SLURM run is in .ci/run (scripts/ci/run_slurm_demo.sh): it needs root and the Debian SLURM
daemons, which a unit test cannot start.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

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
    # tiny per-file and per-sample jobs are bundled; a chunk's job is already hundreds of samples: one per job
    assert all(int(size) > 1 for name, size in bundled.items() if name != "chunk")
    assert bundled["chunk"] == "1"


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
        # --forceall: the job list whatever a demo run already left in the checkout's results/.
        [sys.executable, "-m", "snakemake", "-n", "--forceall", "--workflow-profile", str(PROFILES / "slurm")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert "Group job batch" in output or "group job" in output.lower(), output[-2000:]


# Each conda environment of workflow/envs/ and the config key of the image that holds it under --sdm apptainer.
# bcftools.yaml is pysam alone, at the main environment's pin (tests/test_packaging.py): the main image.
IMAGE_OF_ENVIRONMENT = {"trpm6.yaml": "main", "bcftools.yaml": "main", "snpeff.yaml": "snpeff", "vep.yaml": "vep"}


def _code(directive: str) -> str:
    """A directive's value without its comment lines."""
    return " ".join(line.strip() for line in directive.splitlines() if not line.strip().startswith("#")).strip()


def test_every_environment_has_an_image_for_sdm_apptainer():
    from test_rules_resources import all_rules

    images = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    images = images["properties"]["containers"]["properties"]
    assert set(images) == set(IMAGE_OF_ENVIRONMENT.values())
    assert {path.name for path in (REPO / "workflow" / "envs").glob("*.yaml")} == set(IMAGE_OF_ENVIRONMENT)
    for name, image in images.items():
        address = image["default"]
        assert address.startswith("docker://") and not address.endswith(":latest"), (name, address)
        assert ":" in address.rsplit("/", 1)[1], f"containers.{name} default has no tag: {address}"
    snakefile = (REPO / "workflow" / "Snakefile").read_text()
    assert re.search(r'^container: CONFIG\["containers"\]\["main"\]$', snakefile, re.M)
    for rule in all_rules():
        environment = Path(_code(rule.directives["conda"]).strip('"')).name
        container = _code(rule.directives.get("container", ""))
        if container == "None":  # runs on the host on purpose (Chromium): the rule says why
            continue
        own = re.fullmatch(r'CONFIG\["containers"\]\["(\w+)"\]', container) if container else None
        image = own.group(1) if own else "main"
        assert not container or own, f"rule {rule.name}: container must come from the config: {container}"
        assert image == IMAGE_OF_ENVIRONMENT[environment], f"rule {rule.name}: {environment} runs in {image}"


def test_main_image_recipes_install_the_pinned_package_on_python_3_11():
    envs = REPO / "workflow" / "envs"
    definition = (envs / "trpm6.def").read_text()
    assert re.search(r"^Bootstrap: debootstrap$", definition, re.M)
    assert re.search(r"^OSVersion: bookworm$", definition, re.M), "Debian 12 is the release with Python 3.11"
    dockerfile = (envs / "trpm6.Dockerfile").read_text()
    base = re.search(r"^FROM\s+(\S+)", dockerfile, re.M).group(1)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", base), base
    # The pins come from pyproject.toml, which tests/test_packaging.py ties to workflow/envs/trpm6.yaml;
    # [workflow] adds Snakemake, which each rule's script imports inside the image.
    for recipe in (definition, dockerfile):
        assert "pyproject.toml" in recipe and "src" in recipe
        assert '"/opt/trpm6-hsh[workflow]"' in recipe


HEAD_NODE_BLOCKER = """
import sys
from importlib.abc import MetaPathFinder

class NotOnTheHeadNode(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"pysam", "cyvcf2", "weasyprint", "Bio"}:
            raise ImportError(f"{name} is not installed on the head node")
        return None

sys.meta_path.insert(0, NotOnTheHeadNode())
from snakemake.cli import main
sys.argv = ["snakemake", "-n", "--forceall", "--quiet"]
main()
"""


def test_the_workflow_plans_on_a_head_node_with_snakemake_alone():
    """Under --sdm apptainer/conda the head node has Snakemake and nothing else: start-up must not need pysam."""
    result = subprocess.run(
        [sys.executable, "-c", HEAD_NODE_BLOCKER], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
