"""Plus-strand transcripts: the fixture locus mirrored (reverse-complemented contig, coordinates flipped)
puts TRPM6 on the plus strand; every transcript-relative call must stay the same."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pysam
import pytest

from trpm6_hsh.builtin_annotator import annotate_vcf
from trpm6_hsh.builtin_annotator.sequence import reverse_complement

DATA = Path(__file__).parent / "data" / "annotator"
LENGTH = 170000


def _flip(pos: int) -> int:
    return LENGTH - pos + 1


def _mirror_model(source: Path, target: Path) -> None:
    lines = []
    for line in source.read_text().splitlines():
        if line.startswith("#"):
            lines.append(line)
            continue
        cols = line.split("\t")
        start, end = int(cols[3]), int(cols[4])
        cols[3], cols[4] = str(_flip(end)), str(_flip(start))
        cols[6] = "+" if cols[6] == "-" else "-"
        lines.append("\t".join(cols))
    target.write_text("\n".join(lines) + "\n")


def _mirror_vcf(source: Path, target: Path, genome: str, mirrored: str) -> None:  # noqa: ARG001
    out = []
    for line in source.read_text().splitlines():
        if line.startswith("#"):
            out.append(line)
            continue
        cols = line.split("\t")
        pos, ref, alt = int(cols[1]), cols[3], cols[4]
        if len(ref) == len(alt):
            new_pos = _flip(pos + len(ref) - 1)
            cols[1], cols[3], cols[4] = str(new_pos), reverse_complement(ref), reverse_complement(alt)
        elif len(ref) > len(alt):  # anchor + deleted bases at pos+1..pos+k
            k = len(ref) - 1
            first = _flip(pos + k)  # deleted span in mirrored coordinates: first..first+k-1
            anchor_pos = first - 1
            anchor = mirrored[anchor_pos - 1]
            cols[1], cols[3], cols[4] = str(anchor_pos), anchor + mirrored[first - 1:first - 1 + k], anchor
        else:  # insertion between pos and pos+1
            inserted = alt[1:]
            anchor_pos = _flip(pos + 1)
            anchor = mirrored[anchor_pos - 1]
            cols[1], cols[3], cols[4] = str(anchor_pos), anchor, anchor + reverse_complement(inserted)
        out.append("\t".join(cols))
    header = [line for line in out if line.startswith("#")]
    body = sorted((line for line in out if not line.startswith("#")), key=lambda row: int(row.split("\t")[1]))
    target.write_text("\n".join(header + body) + "\n")


@pytest.fixture(scope="module")
def mirrored_run(tmp_path_factory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("mirror")
    genome = pysam.FastaFile(str(DATA / "locus.fa")).fetch("TRPM6_locus").upper()
    mirrored = reverse_complement(genome)
    fasta = folder / "mirror.fa"
    fasta.write_text(">TRPM6_locus\n" + "\n".join(mirrored[i:i + 60] for i in range(0, LENGTH, 60)) + "\n")
    model, vcf = folder / "mirror.gff3", folder / "mirror.vcf"
    _mirror_model(DATA / "trpm6.ensembl.gff3", model)
    _mirror_vcf(DATA / "test.vcf", vcf, genome, mirrored)
    ours_minus, ours_plus = folder / "minus.tsv", folder / "plus.tsv"
    annotate_vcf(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", DATA / "test.vcf", ours_minus)
    annotate_vcf(fasta, model, vcf, ours_plus)

    def by_id(path: Path, source: Path) -> dict:
        ids = {}
        for line in source.read_text().splitlines():
            if not line.startswith("#"):
                cols = line.split("\t")
                ids[(int(cols[1]), cols[3], cols[4])] = cols[2]
        with open(path) as handle:
            return {ids[(int(r["pos"]), r["ref"], r["alt"])]: r for r in csv.DictReader(handle, delimiter="\t")}

    return by_id(ours_minus, DATA / "test.vcf"), by_id(ours_plus, vcf)


COLUMNS = ("consequence", "hgvs_c", "hgvs_p", "exon", "intron", "lof", "lof_confidence", "pvs1_strength",
           "lof_reason")


def test_plus_strand_mirror_gives_identical_calls(mirrored_run) -> None:
    minus, plus = mirrored_run
    assert len(minus) == len(plus) == 39
    for record_id, row in minus.items():
        for column in COLUMNS:
            assert plus[record_id][column] == row[column], (record_id, column)
    # the haplotype combination works on the plus strand too
    assert plus["phased_pair_a"]["hgvs_p"] == "p.(Ser1800Lys)"


def test_hgvs_g_is_shifted_right_on_the_genome(mirrored_run) -> None:
    minus, plus = mirrored_run
    # c.1003del is the 3'-most base of a T run on the transcript; on the genome of the mirrored
    # (plus-strand) locus that is also the right-most position, so g. and c. agree in direction
    match = re.fullmatch(r"g\.(\d+)del", plus["fs_del1"]["hgvs_g"])
    assert match
    assert plus["fs_del1"]["hgvs_c"] == "c.1003del"


def test_plus_strand_mirror_of_the_random_set(tmp_path: Path) -> None:
    """All 5,000 random variants: identical transcript-relative calls on the mirrored plus-strand locus."""
    import gzip

    genome = pysam.FastaFile(str(DATA / "locus.fa")).fetch("TRPM6_locus").upper()
    mirrored = reverse_complement(genome)
    fasta, model = tmp_path / "mirror.fa", tmp_path / "mirror.gff3"
    fasta.write_text(">TRPM6_locus\n" + "\n".join(mirrored[i:i + 60] for i in range(0, LENGTH, 60)) + "\n")
    _mirror_model(DATA / "trpm6.ensembl.gff3", model)
    plain, flipped = tmp_path / "random.vcf", tmp_path / "random_mirror.vcf"
    with gzip.open(DATA / "random5000.vcf.gz", "rt") as handle:
        plain.write_text(handle.read())
    _mirror_vcf(plain, flipped, genome, mirrored)
    annotate_vcf(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", plain, tmp_path / "a.tsv", combine_haplotypes=False)
    annotate_vcf(fasta, model, flipped, tmp_path / "b.tsv", combine_haplotypes=False)

    def by_id(path: Path, source: Path) -> dict:
        ids = {}
        for line in source.read_text().splitlines():
            if not line.startswith("#"):
                cols = line.split("\t")
                ids[(cols[1], cols[3], cols[4])] = cols[2]
        with open(path) as handle:
            return {ids[(r["pos"], r["ref"], r["alt"])]: r for r in csv.DictReader(handle, delimiter="\t")}

    minus, plus = by_id(tmp_path / "a.tsv", plain), by_id(tmp_path / "b.tsv", flipped)
    assert len(minus) == len(plus) == 5000
    mismatches = [(key, column) for key, row in minus.items() for column in COLUMNS
                  if plus[key][column] != row[column]]
    assert not mismatches, mismatches[:10]
