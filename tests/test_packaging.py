"""Packaging and documentation stay consistent with the code."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import REPO


def _pins_from_pyproject() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(requirement.split("==") for requirement in requirements)


def _pins_from_conda(path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    return dict(requirement.split("==") for requirement in pip_section)


def test_environment_yml_matches_pyproject():
    assert _pins_from_conda(REPO / "environment.yml") == _pins_from_pyproject()


def test_rule_environments_pin_the_same_versions():
    pins = _pins_from_pyproject()
    for env_file in (REPO / "workflow" / "envs").glob("*.yaml"):
        for name, version in _pins_from_conda(env_file).items():
            assert pins.get(name) == version, f"{env_file.name}: {name}=={version}"


def test_config_readme_documents_every_key_and_column():
    text = (REPO / "config" / "README.md").read_text()

    def leaf_keys(node, prefix=""):
        """Dotted names of the keys users set; a section is documented through its own keys."""
        for name, sub in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            if "properties" in sub:
                yield from leaf_keys(sub, f"{path}.")
            else:
                yield path

    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    for key in leaf_keys(schema):
        assert f"`{key}`" in text, key
    columns = yaml.safe_load((REPO / "workflow" / "schemas" / "samples.schema.yaml").read_text())["properties"]
    for column in columns:
        assert f"`{column}`" in text, column


def test_readme_quick_start_has_exactly_two_commands():
    text = (REPO / "README.md").read_text()
    block = re.search(r"## Quick start\n.*?```\n(.*?)```", text, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "snakemake" in commands[0] and "pytest" in commands[1]


def test_package_never_imports_snakemake():
    for module in (REPO / "src" / "trpm6_hsh").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+snakemake", module.read_text(), re.M), module


_VERSION_MENTIONS = re.compile(r"trpm6-hsh[-:](\d+\.\d+\.\d+)|org\.opencontainers\.image\.version (\S+)")
"""A release number written out by hand: the image tag, the .sif name, the container label."""


def test_the_version_is_written_once_and_every_other_mention_equals_it():
    from trpm6_hsh import __version__

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "trpm6_hsh.__version__"}
    mentions = {}
    for relative in (
        "README.md",
        "config/README.md",
        "docs/cluster.md",
        "workflow/schemas/config.schema.yaml",
        "workflow/envs/trpm6.def",
        "workflow/envs/trpm6.Dockerfile",
    ):
        for match in _VERSION_MENTIONS.finditer((REPO / relative).read_text()):
            mentions.setdefault(relative, set()).add(match.group(1) or match.group(2))
    assert set(mentions) >= {"workflow/schemas/config.schema.yaml", "workflow/envs/trpm6.def"}
    for relative, versions in mentions.items():
        assert versions == {__version__}, f"{relative} names version(s) {sorted(versions)}, not {__version__}"
    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    image = schema["properties"]["containers"]["properties"]["main"]["default"]
    assert image.endswith(f":{__version__}")


def test_an_install_without_the_checkout_resources_fails_with_one_clear_error(tmp_path, monkeypatch):
    import pytest

    from trpm6_hsh import shipped
    from trpm6_hsh.builtin_annotator import default_model
    from trpm6_hsh.errors import Trpm6Error

    monkeypatch.setattr(shipped, "_CHECKOUT_RESOURCES", tmp_path / "site-packages" / "resources")
    for lookup in (shipped.resources_dir, shipped.exon_table, lambda: default_model("GRCh38")):
        with pytest.raises(Trpm6Error, match=r"installed without its source checkout.*pip install -e \."):
            lookup()
