"""Every rule tells a cluster scheduler what it needs: threads, mem_mb and runtime.

A rule without them gets the executor's defaults, which on SLURM means the partition's limits: jobs then
wait longer in the queue or are killed for memory. The rule files are parsed as text (the declarations
must be written out, not inherited from --default-resources) and the rule names cross-checked against
what Snakemake itself loads, so a rule the parser misses cannot slip through.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

RULE_FILES = sorted((REPO / "workflow" / "rules").glob("*.smk"))
RULE_START = re.compile(r"^(?:rule|checkpoint)\s+(\w+)\s*:", re.M)
DIRECTIVE = re.compile(r"^    (\w+):", re.M)
# Rules Snakemake runs in its own process, never submitted to a cluster.
TARGET_RULES = {"all"}


@dataclass(frozen=True)
class RuleDeclaration:
    name: str
    source: Path
    directives: dict[str, str]

    @property
    def resources(self) -> dict[str, str]:
        body = self.directives.get("resources", "")
        return dict(re.findall(r"^\s+(\w+)\s*=\s*([^,\n]+)", body, re.M))


def parse_rules(text: str, source: Path) -> list[RuleDeclaration]:
    """Each rule's directives (name -> raw text) from a rule file written in snakefmt style."""
    starts = list(RULE_START.finditer(text))
    rules = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        block = text[start.end() : end]
        heads = list(DIRECTIVE.finditer(block))
        directives = {}
        for position, head in enumerate(heads):
            stop = heads[position + 1].start() if position + 1 < len(heads) else len(block)
            directives[head.group(1)] = block[head.end() : stop]
        rules.append(RuleDeclaration(start.group(1), source, directives))
    return rules


def all_rules() -> list[RuleDeclaration]:
    return [rule for path in RULE_FILES for rule in parse_rules(path.read_text(), path)]


def test_parser_reads_threads_and_resources_of_a_tiny_rule():
    text = (
        'rule tiny:\n    output:\n        "x"\n    threads: 2\n'
        "    resources:\n        mem_mb=800,\n        runtime=5,\n"
    )
    (rule,) = parse_rules(text, Path("tiny.smk"))
    assert rule.directives["threads"].strip() == "2"
    assert rule.resources == {"mem_mb": "800", "runtime": "5"}


def test_parser_sees_a_rule_without_resources():
    text = 'rule bare:\n    output:\n        "x"\n    shell:\n        "touch {output}"\n'
    (rule,) = parse_rules(text, Path("bare.smk"))
    assert "threads" not in rule.directives and rule.resources == {}


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.name not in TARGET_RULES], ids=lambda r: r.name)
def test_every_rule_declares_threads_mem_mb_and_runtime(rule):
    where = f"{rule.source.name}: rule {rule.name}"
    assert "threads" in rule.directives, f"{where} has no threads:"
    resources = rule.resources
    for key in ("mem_mb", "runtime"):
        assert key in resources, f"{where} has no resources {key}="
        value = resources[key].strip()
        if value.isdigit():
            assert int(value) > 0, f"{where}: {key}={value}"


def test_the_parser_finds_every_rule_snakemake_loads():
    listed = subprocess.run(
        [sys.executable, "-m", "snakemake", "--list-rules"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    # One rule a line: its name, then its docstring in parentheses.
    loaded = {match.group(1) for match in re.finditer(r"^(\w+)", listed.stdout, re.M)}
    parsed = {rule.name for rule in all_rules()}
    assert loaded - TARGET_RULES <= parsed, f"rules the parser missed: {sorted(loaded - TARGET_RULES - parsed)}"
