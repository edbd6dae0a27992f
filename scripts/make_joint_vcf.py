#!/usr/bin/env python3
"""Write a joint (multi-sample) VCF of many samples on the synthetic demo locus, with planted cases.

Every planted sample carries a genotype pattern whose verdict is known (one per verdict, read-backed
and parental phase, trios with de novo and parental phasing); the rest are background samples with
common or benign variants only (NEGATIVE). Beside the VCF it writes the truth table and a sample
sheet, so the inheritance stage (or the whole workflow) can be checked against it:

    python scripts/make_joint_vcf.py --samples 1000 --out /tmp/joint
    # -> /tmp/joint/joint.vcf.gz(.tbi), truth.tsv, samples.tsv

Variants come from the demo catalogue (resources/demo/<build>/demo_variants.tsv), whose reference
bases the synthetic locus was designed for; INFO/AF is their invented population frequency.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

import pysam

REPO = Path(__file__).resolve().parents[1]
CONTIG_LENGTHS = {"GRCh38": 138_394_717, "GRCh37": 141_213_431}
CHROM = {"GRCh38": "chr9", "GRCh37": "9"}


@dataclass(frozen=True)
class Plant:
    """A planted family pattern: each member's genotypes by variant id, and the verdicts expected."""

    name: str
    members: tuple[str, ...]  # roles: 'child', 'father', 'mother'
    genotypes: dict[str, dict[str, str]]  # role -> variant id -> GT (with PS after ':' when phased)
    expected: dict[str, tuple[str, str]]  # role -> (verdict, phase source of its pair, or '')


PLANTS = (
    Plant("homozygous", ("child",), {"child": {"V1": "1/1"}}, {"child": ("HOMOZYGOUS", "")}),
    Plant(
        "trans_read_backed",
        ("child",),
        {"child": {"V2": "0|1:101", "V4": "1|0:101"}},
        {"child": ("COMPOUND_HET_TRANS", "read_backed")},
    ),
    Plant(
        "trans_parental",
        ("child", "father", "mother"),
        {"child": {"V3": "0/1", "V8": "0/1"}, "father": {"V3": "0/1"}, "mother": {"V8": "0/1"}},
        {"child": ("COMPOUND_HET_TRANS", "parental"), "father": ("CARRIER", ""), "mother": ("CARRIER", "")},
    ),
    Plant(
        "trans_both",
        ("child", "father", "mother"),
        {"child": {"V1": "1|0:7", "V4": "0|1:7"}, "father": {"V1": "0/1"}, "mother": {"V4": "0/1"}},
        {"child": ("COMPOUND_HET_TRANS", "both"), "father": ("CARRIER", ""), "mother": ("CARRIER", "")},
    ),
    Plant(
        "phase_unknown",
        ("child",),
        {"child": {"V1": "0/1", "V4": "0/1"}},
        {"child": ("COMPOUND_HET_PHASE_UNKNOWN", "unknown")},
    ),
    Plant(
        "de_novo_phase_unknown",
        ("child", "father", "mother"),
        {"child": {"V2": "0/1", "V8": "0/1"}, "father": {"V8": "0/1"}, "mother": {}},
        {
            "child": ("COMPOUND_HET_PHASE_UNKNOWN", "unknown"),
            "father": ("CARRIER", ""),
            "mother": ("NEGATIVE", ""),
        },
    ),
    Plant(
        "cis", ("child",), {"child": {"V2": "0|1:55", "V4": "0|1:55"}}, {"child": ("CIS_NOT_BIALLELIC", "read_backed")}
    ),
    Plant(
        "cis_parental",
        ("child", "father", "mother"),
        {"child": {"V1": "0/1", "V3": "0/1"}, "father": {"V1": "0/1", "V3": "0/1"}, "mother": {}},
        {
            "child": ("CIS_NOT_BIALLELIC", "parental"),
            "father": ("COMPOUND_HET_PHASE_UNKNOWN", "unknown"),
            "mother": ("NEGATIVE", ""),
        },
    ),
    Plant("plus_vus", ("child",), {"child": {"V1": "0/1", "V5": "0/1"}}, {"child": ("QUALIFYING_PLUS_VUS", "unknown")}),
    Plant("carrier", ("child",), {"child": {"V8": "0/1", "V6": "0/1"}}, {"child": ("CARRIER", "")}),
    Plant(
        "hemizygous_deletion",
        ("child",),
        {"child": {"V8": "1/1", "V10": "0/1"}},
        {"child": ("COMPOUND_HET_TRANS", "deletion")},
    ),
    Plant(
        "hemizygous_parent",
        ("child", "father", "mother"),
        {"child": {"V4": "1/1"}, "father": {"V4": "0/1"}, "mother": {}},
        {"child": ("POSSIBLE_HEMIZYGOUS", ""), "father": ("CARRIER", ""), "mother": ("NEGATIVE", "")},
    ),
    Plant("negative", ("child",), {"child": {"V6": "0/1", "V7": "1/1", "V9": "0/1"}}, {"child": ("NEGATIVE", "")}),
    Plant("vus_alone", ("child",), {"child": {"V5": "1/1"}}, {"child": ("BIALLELIC_VUS", "")}),
    Plant("low_quality", ("child",), {"child": {"V1": "1/1:lowdp"}}, {"child": ("NEGATIVE", "")}),
    Plant("no_calls", ("child",), {"child": {"*": "./."}}, {"child": ("NOT_ASSESSABLE", "")}),
)
BACKGROUND_VARIANTS = ("V6", "V7", "V9", "V11")


def read_catalogue(build: str, demo_dir: Path | None = None) -> list[dict[str, str]]:
    """The demo variants (one ALT per id: the first listed)."""
    path = Path(demo_dir or REPO / "resources" / "demo" / build) / "demo_variants.tsv"
    if not path.is_file():
        raise SystemExit(
            f"{path} not found: generate the demo first (trpm6-hsh demo --build {build} --out DIR) "
            "and pass --demo-dir DIR"
        )
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    first = {}
    for row in rows:
        first.setdefault(row["id"], row)
    return sorted(first.values(), key=lambda row: int(row["pos"]))


def _call(rng: random.Random, genotype: str) -> str:
    """GT:DP:GQ:AD:PS text for a genotype like '0/1', '1|0:101' (phase set) or '1/1:lowdp'."""
    gt, _, extra = genotype.partition(":")
    if gt == "./.":
        return "./.:.:.:.:."
    depth = 6 if extra == "lowdp" else rng.randint(25, 60)
    alts = sum(1 for allele in gt.replace("|", "/").split("/") if allele == "1")
    alt_reads = {0: 0, 1: depth // 2, 2: depth}[alts]
    phase_set = extra if extra.isdigit() else "."
    return f"{gt}:{depth}:{rng.randint(60, 99)}:{depth - alt_reads},{alt_reads}:{phase_set}"


def build_cohort(samples: int, seed: int) -> tuple[list[str], dict[str, dict[str, str]], list[dict[str, str]]]:
    """Sample IDs, their genotypes by variant id, and the truth rows (planted and background)."""
    rng = random.Random(seed)
    ids: list[str] = []
    genotypes: dict[str, dict[str, str]] = {}
    truth: list[dict[str, str]] = []
    family = 0
    while len(ids) < samples:
        plant = PLANTS[family % len(PLANTS)]
        if len(ids) + len(plant.members) > samples:
            break
        family += 1
        names = {role: f"F{family:05d}_{role}" for role in plant.members}
        for role in plant.members:
            sample_id = names[role]
            ids.append(sample_id)
            genotypes[sample_id] = dict(plant.genotypes[role])
            verdict, phase_source = plant.expected[role]
            truth.append(
                {
                    "sample_id": sample_id,
                    "family_id": f"F{family:05d}",
                    "paternal_id": names["father"] if role == "child" and "father" in names else "",
                    "maternal_id": names["mother"] if role == "child" and "mother" in names else "",
                    "plant": plant.name,
                    "expected_verdict": verdict,
                    "expected_phase_source": phase_source,
                }
            )
        # Background samples between planted families: common or benign variants only.
        for _ in range(min(9, samples - len(ids) - 1)):
            _add_background(rng, ids, genotypes, truth)
    while len(ids) < samples:
        _add_background(rng, ids, genotypes, truth)
    return ids, genotypes, truth


def _add_background(rng: random.Random, ids: list, genotypes: dict, truth: list) -> None:
    sample_id = f"BG{len(ids):06d}"
    ids.append(sample_id)
    genotypes[sample_id] = {v: rng.choice(("0/1", "1/1")) for v in BACKGROUND_VARIANTS if rng.random() < 0.3}
    row = {"sample_id": sample_id, "family_id": sample_id, "paternal_id": "", "maternal_id": ""}
    truth.append(dict(row, plant="background", expected_verdict="NEGATIVE", expected_phase_source=""))


def write_joint_vcf(
    out_dir: Path, samples: int = 1000, seed: int = 6017, build: str = "GRCh38", demo_dir: Path | None = None
) -> Path:
    """Write joint.vcf.gz (+.tbi), truth.tsv and samples.tsv into ``out_dir``; return the VCF path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    ids, genotypes, truth = build_cohort(samples, seed)
    chrom = CHROM[build]
    header = [
        "##fileformat=VCFv4.2",
        "##source=trpm6-hsh scripts/make_joint_vcf.py (synthetic cohort on the synthetic TRPM6 locus)",
        f"##contig=<ID={chrom},length={CONTIG_LENGTHS[build]}>",
        '##ALT=<ID=DEL,Description="Deletion">',
        '##INFO=<ID=AF,Number=A,Type=Float,Description="Invented population allele frequency">',
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Structural variant type">',
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End of the variant">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
        '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(ids),
    ]
    lines = []
    for variant in read_catalogue(build, demo_dir):
        info = [f"AF={variant['population_af']}"] if variant["population_af"] else []
        if variant["alt"].startswith("<"):
            info += ["SVTYPE=DEL", f"END={variant['end']}"]
        calls = []
        for sample_id in ids:
            own = genotypes[sample_id]
            calls.append(_call(rng, own.get("*") or own.get(variant["id"], "0/0")))
        columns = [chrom, variant["pos"], variant["id"], variant["ref"], variant["alt"], "50", "PASS"]
        lines.append("\t".join([*columns, ";".join(info) or ".", "GT:DP:GQ:AD:PS", *calls]))
    plain = out_dir / "joint.vcf"
    plain.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    vcf = Path(pysam.tabix_index(str(plain), preset="vcf", force=True))
    _write_rows(out_dir / "truth.tsv", truth)
    sheet = [
        {
            "sample_id": row["sample_id"],
            "vcf": str(vcf.resolve()),
            "family_id": row["family_id"],
            "paternal_id": row["paternal_id"],
            "maternal_id": row["maternal_id"],
        }
        for row in truth
    ]
    _write_rows(out_dir / "samples.tsv", sheet)
    return vcf


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=1000, help="number of samples (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=6017)
    parser.add_argument("--build", choices=sorted(CONTIG_LENGTHS), default="GRCh38")
    parser.add_argument("--demo-dir", type=Path, default=None, help="demo folder (default: resources/demo/BUILD)")
    arguments = parser.parse_args()
    vcf = write_joint_vcf(arguments.out, arguments.samples, arguments.seed, arguments.build, arguments.demo_dir)
    print(f"wrote {vcf} ({arguments.samples} samples), {arguments.out / 'truth.tsv'}, {arguments.out / 'samples.tsv'}")


if __name__ == "__main__":
    main()
