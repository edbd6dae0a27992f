"""Seeded fuzzing of the VCF-reading stages: every mutant of a small VCF either stops with a Trpm6Error
carrying "Fix:" or gives verdict documents that validate against verdict.schema.json (run_chain checks).

Reproduce one mutant: its id is its seed; ``mutant(seed)`` rebuilds the bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hostile.builders import BASE_RECORDS, META, vcf_text, write_bgzf, write_text
from hostile.chain import run_chain
from trpm6_hsh.errors import Trpm6Error

MUTANTS = 500
BASE = vcf_text([*BASE_RECORDS, "chr9 74842300 . TT T 50 PASS . GT:DP:GQ:AD 0/1:30:99:15,15"])
FIELD_VALUES = {
    0: ["9", "chr9", "NC_000009.12", "chr1", "", "chrUn", "Chr9"],
    1: ["0", "-1", "1", "74842198", "99999999999", "x", "", "74842198.5"],
    3: ["G", "N", "", ".", "GA", "g", "X", "Ä", "GGGGGGGGGGGGGGGGGGGG"],
    4: ["A", ".", "*", "<DEL>", "A,C", "A,", "G", "é", "<INS>", "A]chr2:5]", "AAAAAAAAAAAAAAAAAAAAAAA"],
    5: [".", "-3", "inf", "nan", "1e999", "x"],
    6: [".", "PASS", "LowQual", "q10;PASS", ""],
    7: [".", "END=1", "SVTYPE=DEL;END=74842100", "gnomAD_AF=2", "gnomAD_AF=.", "gnomAD_AF=-1", "X=ü", ";"],
    8: ["GT", "GT:AD", "AD:GT", "DP", ".", "GT:DP:GQ:AD:PS", "GT:XX"],
    9: ["1/1", "0/1", "./.", ".", "1|0", "2/2", "0/1/1", "1/1:.:.:.", "1/1:40:99:0,40,5", "1/1:-4:99:0,40",
        "0/1:40:99:a,b", "1/1:40:99:0,40:12", "0|1:40:99:20,20:abc", "\x00"],
}


def _mutate_lines(lines: list[str], rng: random.Random) -> list[str]:
    body = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    meta = [i for i, line in enumerate(lines) if line.startswith("#")]
    choice = rng.randrange(9)
    i = rng.choice(body or meta)
    if choice == 0:
        del lines[rng.choice(body + meta)]
    elif choice == 1:
        lines.insert(i, lines[rng.choice(body + meta)])
    elif choice == 2:
        j = rng.choice(body + meta)
        lines[i], lines[j] = lines[j], lines[i]
    elif choice in (3, 4, 5):
        fields = lines[i].split("\t")
        column = rng.choice([c for c in FIELD_VALUES if c < len(fields)] or [0])
        if column < len(fields):
            fields[column] = rng.choice(FIELD_VALUES[column])
        lines[i] = "\t".join(fields)
    elif choice == 6:
        fields = lines[i].split("\t")
        lines[i] = "\t".join(fields[: rng.randrange(len(fields) + 1)])
    elif choice == 7:
        k = rng.choice(meta)
        lines[k] = lines[k].replace("chr9", rng.choice(["9", "NC_000009.12", "NC_000009.11", "chr1"]))
    else:
        position = rng.randrange(len(lines[i]) + 1)
        inserted = rng.choice(["ä", "\u00e9", "\ufeff", " ", "\t", "\u2603"])
        lines[i] = lines[i][:position] + inserted + lines[i][position:]
    return lines


def mutant(seed: int) -> tuple[bytes, bool]:
    """The mutated VCF bytes of ``seed`` and whether to bgzip them (byte flips happen after the text edits)."""
    rng = random.Random(seed)
    lines = BASE.split("\n")
    for _ in range(rng.randint(1, 3)):
        lines = _mutate_lines(lines, rng)
    data = bytearray("\n".join(lines).encode("utf-8"))
    if rng.random() < 0.15 and data:
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.1:
        data = data[: rng.randrange(len(data) + 1)]
    return bytes(data), rng.random() < 0.3


def _write(folder: Path, seed: int) -> Path:
    data, compressed = mutant(seed)
    if compressed:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return write_text(folder / "in.vcf", data)
        return write_bgzf(folder / "in.vcf.gz", text, "tbi" if seed % 2 else None)
    return write_text(folder / "in.vcf", data)


@pytest.mark.parametrize("seed", range(MUTANTS), ids=[f"seed{seed}" for seed in range(MUTANTS)])
def test_mutant_stops_clearly_or_gives_a_valid_verdict(tmp_path, seed):
    try:
        vcf = _write(tmp_path / "input", seed)
    except Exception:  # noqa: BLE001 - htslib cannot even index this mutant: nothing to test
        pytest.skip("the mutant could not be written as bgzip+index")
    try:
        run_chain(tmp_path / "run", vcf)
    except Trpm6Error as error:
        assert "Fix:" in str(error), error
        assert vcf.name in str(error) or "sample sheet" in str(error), error


def test_the_base_of_the_fuzzing_is_valid(tmp_path):
    result = run_chain(tmp_path / "run", write_text(tmp_path / "in.vcf", BASE))
    assert result.verdicts["P1"]["verdict"] == "HOMOZYGOUS"
    assert META[0] in BASE
