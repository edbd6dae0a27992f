"""The synthetic demo: deterministic, a valid TRPM6 ORF on a real-length chr9, and variants that do what
the catalogue says (checked on the written FASTA and VCFs, not on the generator's own bookkeeping)."""

from __future__ import annotations

import csv
import gzip
import subprocess
import sys
from pathlib import Path

import pysam
import pysam.bcftools
import pytest
from Bio.Seq import Seq
from Bio.SeqUtils import seq3

from trpm6_hsh.demo import write_demo
from trpm6_hsh.errors import InputError
from trpm6_hsh.model import Verdict
from trpm6_hsh.model_resources import GRCH37_MINUS_GRCH38, TranscriptModel, read_exon_table

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "resources" / "demo" / "GRCh38"
DEMO_RELATIVE = Path("resources/demo/GRCh38")
FASTA = {"GRCh38": "synthetic_trpm6_locus.GRCh38.fa.gz", "GRCh37": "synthetic_trpm6_locus.GRCh37.fa.gz"}
CHR9_LENGTH = {"GRCh38": 138_394_717, "GRCh37": 141_213_431}
VCF_FILES = (
    "demo01.vcf.gz",
    "demo02.vcf.gz",
    "trio.vcf.gz",
    "demo04.bcf",
    "demo05_contig9.vcf.gz",
    "cohort_batch.vcf",
    "demo08.vcf.gz",
    "demo14.vcf.gz",
)
COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def _generate_relative(root: Path, build: str = "GRCh38") -> Path:
    """Generate like the maintainer script does: from a root folder, with a relative out_dir."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        write_demo(out_dir=DEMO_RELATIVE, build=build)
    return root / DEMO_RELATIVE


@pytest.fixture(scope="module")
def models() -> dict[str, TranscriptModel]:
    return read_exon_table(REPO / "resources" / "trpm6_mane_select_exons.tsv")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return _generate_relative(tmp_path_factory.mktemp("first"))


@pytest.fixture(scope="module")
def demo_grch37(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("grch37").resolve() / "demo"
    write_demo(out_dir=out, build="GRCh37")
    return out


class Reference:
    """The demo FASTA seen from the transcript: sense CDS, sense bases at c. positions, + strand bases."""

    def __init__(self, fasta: Path, model: TranscriptModel) -> None:
        self.model = model
        self.cds = model.cds_positions()
        self.start = model.span.start - 10_000
        with pysam.FastaFile(str(fasta)) as handle:
            self.plus = handle.fetch("chr9", self.start - 1, model.span.end + 10_000)

    def base(self, pos: int) -> str:
        return self.plus[pos - self.start]

    def sense(self, pos: int) -> str:
        return self.base(pos).translate(COMPLEMENT)

    def cds_sequence(self, changes: dict[int, str] | None = None) -> str:
        changes = changes or {}
        return "".join(changes.get(pos, self.sense(pos)) for pos in self.cds)


@pytest.fixture(scope="module")
def reference(demo, models) -> Reference:
    return Reference(demo / FASTA["GRCh38"], models["GRCh38"])


def _records(path: Path) -> list[pysam.VariantRecord]:
    with pysam.VariantFile(str(path)) as vcf:
        return list(vcf)


def _record_at(folder: Path, pos: int) -> pysam.VariantRecord:
    found = [r for name in VCF_FILES for r in _records(folder / name) if r.pos == pos]
    assert found, f"no demo record at {pos}"
    return found[0]


def _translate(cds: str) -> str:
    return str(Seq(cds).translate())


# --- determinism -----------------------------------------------------------------------------------


def test_two_generations_are_byte_identical_and_equal_the_committed_demo(demo, tmp_path):
    second = _generate_relative(tmp_path)
    names = sorted(p.name for p in demo.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert names == sorted(p.name for p in COMMITTED.iterdir())
    for name in names:
        assert (demo / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between runs"
        assert (demo / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"resources/demo/GRCh38/{name} is stale: run python scripts/make_demo.py"
        )


def test_write_demo_returns_every_file_it_wrote(demo_grch37):
    listed = sorted(path.name for path in demo_grch37.iterdir())
    assert listed == sorted(path.name for path in write_demo(out_dir=demo_grch37, build="GRCh37"))


def test_unknown_build_is_refused(tmp_path):
    with pytest.raises(InputError, match="unknown build"):
        write_demo(out_dir=tmp_path, build="hg19")


# --- the reference ---------------------------------------------------------------------------------


def test_fasta_is_chr9_of_real_length_and_labelled_synthetic(demo, models):
    fasta = demo / FASTA["GRCh38"]
    with gzip.open(fasta, "rt") as handle:
        header = handle.readline()
    assert header.startswith(">chr9 SYNTHETIC_TRPM6_LOCUS build=GRCh38 ")
    assert "not human" in header
    assert (demo / (FASTA["GRCh38"] + ".fai")).is_file() and (demo / (FASTA["GRCh38"] + ".gzi")).is_file()
    span = models["GRCh38"].span
    with pysam.FastaFile(str(fasta)) as handle:
        assert list(handle.references) == ["chr9"]
        assert list(handle.lengths) == [CHR9_LENGTH["GRCh38"]]
        before = handle.fetch("chr9", span.start - 10_002, span.start - 10_001)
        first, last = handle.fetch("chr9", span.start - 10_001, span.end + 10_000)[:: len(span) + 20_000 - 1]
        after = handle.fetch("chr9", span.end + 10_000, span.end + 10_001)
        tail = handle.fetch("chr9", CHR9_LENGTH["GRCh38"] - 5, CHR9_LENGTH["GRCh38"])
    assert (before, after, tail) == ("N", "N", "NNNNN")
    assert first in "ACGT" and last in "ACGT"


def test_cds_is_one_open_reading_frame_of_2022_codons(reference):
    protein = _translate(reference.cds_sequence())
    assert len(reference.cds) == 6069
    assert protein[0] == "M"
    assert protein.count("*") == 1 and protein.endswith("*")
    assert len(protein) - 1 == 2022


def test_every_intron_is_gt_ag(reference, models):
    exons = models["GRCh38"].exons
    for upstream, downstream in zip(exons, exons[1:], strict=False):
        donor = reference.sense(upstream.span.start - 1) + reference.sense(upstream.span.start - 2)
        acceptor = reference.sense(downstream.span.end + 2) + reference.sense(downstream.span.end + 1)
        assert (donor, acceptor) == ("GT", "AG"), f"intron {upstream.number}"


def test_five_prime_utr_has_no_upstream_atg(reference, models):
    exon_1 = models["GRCh38"].exons[0]
    utr = "".join(reference.sense(p) for p in range(exon_1.span.end, exon_1.cds.end, -1))
    assert len(utr) == 65
    assert "ATG" not in utr  # (none can span into the real ATG: it starts with A and its 2nd base is T)


# --- the variants ----------------------------------------------------------------------------------


def test_every_vcf_has_the_promised_header(demo):
    for name in VCF_FILES:
        with pysam.VariantFile(str(demo / name)) as vcf:
            header = str(vcf.header)
            contig = "9" if name == "demo05_contig9.vcf.gz" else "chr9"
            assert header.startswith("##fileformat=VCFv4.2\n")
            assert f"##reference={FASTA['GRCh38']}\n" in header
            assert f"##contig=<ID={contig},length={CHR9_LENGTH['GRCh38']}>" in header
            assert vcf.header.info["AF"].number == "A" and vcf.header.info["AF"].type == "Float"
            assert {"GT", "DP", "GQ", "AD"} <= set(vcf.header.formats)
            positions = [r.pos for r in vcf]
            assert positions == sorted(positions)


def test_every_genotyped_call_has_plausible_depth_quality_and_allele_depths(demo):
    for name in VCF_FILES:
        for record in _records(demo / name):
            for sample, call in record.samples.items():
                if sample == "DEMO09":
                    assert call["GT"] == (None, None) and call["DP"] is None and call["GQ"] is None
                    continue
                assert 25 <= call["DP"] <= 60 and 60 <= call["GQ"] <= 99, (name, sample)
                assert sum(call["AD"]) == call["DP"]
                for allele, depth in enumerate(call["AD"]):
                    assert (depth > 0) == (allele in call["GT"]), (name, sample, record.pos)


def test_every_ref_matches_the_fasta_and_bcftools_norm_accepts_the_files(demo, reference):
    for name in VCF_FILES:
        for record in _records(demo / name):
            assert record.ref == reference.plus[record.pos - reference.start :][: len(record.ref)], (name, record)
        if name == "demo05_contig9.vcf.gz":
            continue  # contig '9' is not in the FASTA on purpose; its REFs are checked above
        fasta = str(demo / FASTA["GRCh38"])
        normalised = pysam.bcftools.norm("-f", fasta, "-c", "e", "-m", "-both", str(demo / name))
        assert "\nchr9\t" in normalised


@pytest.mark.parametrize(
    ("c_position", "ref_codon", "alt_codon", "amino_acid_change"),
    [
        (298, "CAG", "TAG", (100, "Q", "*")),  # V1
        (4287, "TGC", "TGA", (1429, "C", "*")),  # V4
        (2099, "CGC", "CAC", (700, "R", "H")),  # V5
        (900, "CTG", "CTA", (300, "L", "L")),  # V6, first ALT
        (5023, "CAA", "TAA", (1675, "Q", "*")),  # V9
    ],
)
def test_coding_snvs_change_the_intended_codon(demo, reference, c_position, ref_codon, alt_codon, amino_acid_change):
    pos = reference.cds[c_position - 1]
    record = _record_at(demo, pos)
    alt_sense = record.alts[0].translate(COMPLEMENT)
    codon_number = (c_position - 1) // 3 + 1
    codon_range = slice(3 * (codon_number - 1), 3 * codon_number)
    reference_cds = reference.cds_sequence()
    mutated_cds = reference.cds_sequence({pos: alt_sense})
    assert reference_cds[codon_range] == ref_codon
    assert mutated_cds[codon_range] == alt_codon
    reference_protein, mutated_protein = _translate(reference_cds), _translate(mutated_cds)
    differences = [
        (i + 1, a, b) for i, (a, b) in enumerate(zip(reference_protein, mutated_protein, strict=True)) if a != b
    ]
    number, before, after = amino_acid_change
    assert differences == ([] if before == after else [(number, before, after)])
    assert reference_protein[number - 1] == before


def test_multiallelic_v6_record_has_a_second_alt_carried_by_nobody(demo, reference):
    record = _record_at(demo, reference.cds[899])
    assert len(record.alts) == 2
    assert all(2 not in (call["GT"] or ()) for call in record.samples.values())


def test_splice_and_intronic_snvs_sit_where_their_hgvs_says(demo, reference):
    donor_11 = reference.cds[1307] - 1  # c.1308+1
    acceptor_24 = reference.cds[3403] + 1  # c.3404-1
    deep = reference.cds[1442] - 300  # c.1443+300
    for pos, ref_sense, alt_sense in ((donor_11, "G", "A"), (acceptor_24, "G", "A"), (deep, "T", "C")):
        record = _record_at(demo, pos)
        assert (record.ref.translate(COMPLEMENT), record.alts[0].translate(COMPLEMENT)) == (ref_sense, alt_sense)
    assert reference.sense(donor_11 - 1) == "T"  # GT donor
    assert reference.sense(acceptor_24 + 1) == "A"  # AG acceptor


def test_splice_variants_and_the_deleted_exon_shift_the_frame(models):
    """Skipping/losing an exon of 3n nt keeps the frame and is downgraded (PVS1), so V3/V8/V10 avoid them."""
    exons = models["GRCh38"].exons
    for exon_number in (11, 25):  # V3 skips exon 11; V8 and V10 remove exon 25
        assert len(exons[exon_number - 1].cds) % 3 != 0


def test_v2_deletes_c1003_which_differs_from_both_neighbours(demo, reference):
    deleted = reference.cds[1002]
    record = _record_at(demo, deleted - 1)
    assert (len(record.ref), record.alts) == (2, (record.ref[0],))
    assert {reference.sense(deleted - 1), reference.sense(deleted + 1)}.isdisjoint({reference.sense(deleted)})
    frameshifted = _translate(reference.cds_sequence({deleted: ""})[: 6069 - 1 - 2])
    assert "*" in frameshifted[335:]


def test_v11_is_written_right_shifted_and_normalises_to_c1804del(demo, reference):
    run = sorted(reference.cds[1800:1804])  # c.1801-1804, a run of four identical bases
    assert len({reference.base(p) for p in run}) == 1
    written = [r for r in _records(demo / "trio.vcf.gz") if len(r.ref) == 2]
    assert [(r.pos, r.ref, r.alts) for r in written] == [
        (run[-1] - 1, reference.base(run[-1]) * 2, (reference.base(run[-1]),))
    ]
    normalised = pysam.bcftools.norm("-f", str(demo / FASTA["GRCh38"]), "-c", "e", str(demo / "trio.vcf.gz"))
    rows = [line.split("\t") for line in normalised.splitlines() if line.startswith("chr9")]
    left_aligned = [row for row in rows if len(row[3]) == 2]
    assert [(int(r[1]), r[4]) for r in left_aligned] == [(run[0] - 1, reference.base(run[0] - 1))]
    assert reference.cds.index(run[0]) + 1 == 1804  # the deleted base after left-alignment is c.1804


def test_v10_deletes_exon_25_and_covers_v8(demo, models):
    (deletion,) = [r for r in _records(demo / "demo08.vcf.gz") if r.alts == ("<DEL>",)]
    exon_25, exon_24, exon_26 = (models["GRCh38"].exons[n - 1].span for n in (25, 24, 26))
    assert deletion.info["SVTYPE"] == "DEL"
    assert deletion.info["SVLEN"] == (deletion.pos - deletion.stop,)
    assert exon_26.end < deletion.pos < exon_25.start  # starts in intron 25
    assert exon_25.end < deletion.stop < exon_24.start  # ends in intron 24
    assert deletion.pos < exon_25.end + 1 <= deletion.stop  # c.3404-1 (V8) is deleted


EXPECTED_GENOTYPES = {
    # file: {sample: {c. site: GT as written}}, '0/0' elsewhere
    "demo01.vcf.gz": {"DEMO01": {"V1": "1/1"}},
    "demo02.vcf.gz": {"DEMO02": {"V2": "0|1", "V4": "1|0"}},
    "trio.vcf.gz": {
        "DEMO03": {"V3": "0/1", "V8": "0/1"},
        "DEMO03_FA": {"V3": "0/1", "V11": "0/1"},
        "DEMO03_MO": {"V8": "0/1"},
    },
    "demo04.bcf": {"DEMO04": {"V1": "0/1", "V2": "0/1"}},
    "demo05_contig9.vcf.gz": {"DEMO05": {"V2": "1|0", "V4": "1|0"}},
    "cohort_batch.vcf": {
        "DEMO06": {"V4": "0/1", "V5": "0/1"},
        "DEMO07": {"V6": "0/1", "V7": "1/1", "V9": "0/1"},
        "DEMO09": {},
    },
    "demo08.vcf.gz": {"DEMO08": {"V8": "1/1", "V10": "0/1"}},
    "cohort2.vcf.gz": {"DEMO10": {"V4": "1/1"}, "DEMO10_MO": {}, "DEMO11": {"V5": "1/1"}, "DEMO12": {"V2": "0/1"}},
    "demo13.vcf.gz": {"DEMO13": {"V1": "0/1"}},
    "demo13.sv.vcf.gz": {"DEMO13": {"V10": "0/1"}},
    "demo14.vcf.gz": {"DEMO14": {"V4": "0/1"}},
}


def _site_positions(reference: Reference, demo: Path) -> dict[str, int]:
    cds = reference.cds
    deletion = next(r for r in _records(demo / "demo08.vcf.gz") if r.alts == ("<DEL>",))
    return {
        "V1": cds[297],
        "V2": cds[1002] - 1,
        "V3": cds[1307] - 1,
        "V4": cds[4286],
        "V5": cds[2098],
        "V6": cds[899],
        "V7": cds[1442] - 300,
        "V8": cds[3403] + 1,
        "V9": cds[5022],
        "V10": deletion.pos,
        "V11": cds[1800] - 1,
    }


def _genotype_text(call) -> str:
    if call["GT"] == (None, None):
        return "./."
    return ("|" if call.phased else "/").join(str(a) for a in call["GT"])


def test_each_sample_carries_exactly_its_catalogue_genotypes(demo, reference):
    site_of = {pos: key for key, pos in _site_positions(reference, demo).items()}
    for name, expected in EXPECTED_GENOTYPES.items():
        records = _records(demo / name)
        for sample, genotypes in expected.items():
            written = {site_of[r.pos]: _genotype_text(r.samples[sample]) for r in records}
            if sample == "DEMO09":
                assert set(written.values()) == {"./."}
                continue
            assert set(genotypes) <= set(written), (name, sample)
            assert {k: v for k, v in written.items() if v != "0/0"} == genotypes, (name, sample)
            phase_sets = {r.samples[sample]["PS"] for r in records if r.samples[sample].phased}
            assert len(phase_sets) <= 1


def test_indexes_are_where_the_sample_sheet_promises(demo):
    present = {p.name for p in demo.iterdir()}
    assert {"demo01.vcf.gz.tbi", "trio.vcf.gz.tbi", "demo04.bcf.csi", "demo05_contig9.vcf.gz.tbi"} <= present
    assert "demo02.vcf.gz.tbi" not in present and "demo02.vcf.gz.csi" not in present
    assert "demo08.vcf.gz.tbi" in present


# --- GRCh37 ----------------------------------------------------------------------------------------


def test_grch37_is_the_grch38_locus_shifted(demo_grch37, reference, models):
    grch37 = Reference(demo_grch37 / FASTA["GRCh37"], models["GRCh37"])
    assert grch37.start == reference.start + GRCH37_MINUS_GRCH38
    assert grch37.plus == reference.plus
    with pysam.FastaFile(str(demo_grch37 / FASTA["GRCh37"])) as handle:
        assert list(handle.lengths) == [CHR9_LENGTH["GRCh37"]]
    (v1,) = _records(demo_grch37 / "demo01.vcf.gz")
    assert v1.pos == reference.cds[297] + GRCH37_MINUS_GRCH38
    with gzip.open(demo_grch37 / FASTA["GRCh37"], "rt") as handle:
        assert "build=GRCh37" in handle.readline()


def test_absolute_out_dir_gives_absolute_vcf_paths(demo_grch37):
    with open(demo_grch37 / "samples.tsv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert all(Path(row["vcf"]).is_absolute() and Path(row["vcf"]).is_file() for row in rows)


# --- the config copies -----------------------------------------------------------------------------


def test_config_demo_expected_covers_every_verdict():
    config_copy = REPO / "config" / "demo_expected.tsv"
    assert config_copy.read_bytes() == (COMMITTED / "expected_verdicts.tsv").read_bytes()
    with open(config_copy, newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert {row["verdict"] for row in rows} == {verdict.value for verdict in Verdict}
    assert len({row["sample_id"] for row in rows}) == len(rows) == 17


def test_config_samples_matches_the_demo_files():
    sheet = REPO / "config" / "samples.tsv"
    assert sheet.read_bytes() == (COMMITTED / "samples.tsv").read_bytes()
    with open(sheet, newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        rows = list(reader)
    assert reader.fieldnames[:2] == ["sample_id", "vcf"]
    with open(COMMITTED / "expected_verdicts.tsv", newline="") as handle:
        expected = [row["sample_id"] for row in csv.DictReader(handle, delimiter="\t")]
    assert [row["sample_id"] for row in rows] == expected
    for row in rows:
        vcf = Path(row["vcf"])
        assert not vcf.is_absolute() and vcf.parent == DEMO_RELATIVE
        with pysam.VariantFile(str(REPO / vcf)) as handle:
            assert row["sample_id"] in handle.header.samples
    child = next(row for row in rows if row["sample_id"] == "DEMO03")
    assert (child["family_id"], child["paternal_id"], child["maternal_id"]) == ("FAM03", "DEMO03_FA", "DEMO03_MO")
    for row in rows:
        if row["serum_mg_mmol_l"] and row["affected"] == "true" and row["sample_id"] != "DEMO07":
            assert 0.25 <= float(row["serum_mg_mmol_l"]) <= 0.45


# --- the catalogue table, and an independent annotator ---------------------------------------------


def _catalogue(folder: Path) -> list[dict[str, str]]:
    with open(folder / "demo_variants.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_catalogue_table_lists_exactly_the_records_of_the_vcfs(demo):
    written = {
        (str(r.pos), r.ref, alt)
        for name in VCF_FILES
        if name != "demo05_contig9.vcf.gz"
        for r in _records(demo / name)
        for alt in r.alts
    }
    listed = {(row["pos"], row["ref"], row["alt"]) for row in _catalogue(demo)}
    assert listed == written
    assert [row["id"] for row in _catalogue(demo)] == [
        "V1",
        "V2",
        "V3",
        "V4",
        "V5",
        "V6",
        "V6",
        *map("V{}".format, range(7, 12)),
    ]


def test_frameshift_protein_predictions_match_a_fresh_translation(demo, reference, models):
    rows = {row["id"]: row for row in _catalogue(demo)}
    exonic = models["GRCh38"].exonic_positions()
    cds_and_3utr = exonic[exonic.index(reference.cds[0]) :]
    for key, c_deleted in (("V2", 1003), ("V11", 1804)):
        deleted = reference.cds[c_deleted - 1]
        mrna = "".join(reference.sense(p) for p in cds_and_3utr if p != deleted)
        protein = _translate(mrna[: len(mrna) // 3 * 3])
        normal = _translate(reference.cds_sequence())
        first = next(i for i, (a, b) in enumerate(zip(normal, protein, strict=False)) if a != b)
        stop = protein.index("*", first)
        expected = f"p.({seq3(normal[first])}{first + 1}{seq3(protein[first])}fsTer{stop - first + 1})"
        assert rows[key]["hgvs_c"] == f"c.{c_deleted}del"
        assert rows[key]["hgvs_p"] == expected


BCFTOOLS_TERM = {
    "stop_gained": "stop_gained",
    "frameshift_variant": "frameshift",
    "splice_donor_variant": "splice_donor",
    "splice_acceptor_variant": "splice_acceptor",
    "missense_variant": "missense",
    "synonymous_variant": "synonymous",
    "intron_variant": "intron",
    "exon_loss_variant": "feature_truncation",
}


def _bcftools_csq(fasta: Path, gff3: Path, vcf: Path) -> str:
    """bcftools csq in a child process: pysam's csq keeps state between calls in one process."""
    code = "import sys, pysam.bcftools; sys.stdout.write(pysam.bcftools.csq(*sys.argv[1:]))"
    args = ["-f", str(fasta), "-g", str(gff3), "-l", "-Ov", str(vcf)]
    return subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True).stdout


def test_bcftools_csq_with_the_shipped_gff3_agrees_with_the_catalogue(demo):
    expected = {(row["pos"], row["alt"]): BCFTOOLS_TERM[row["consequence"]] for row in _catalogue(demo)}
    gff3 = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
    seen = set()
    for name in ("trio.vcf.gz", "cohort_batch.vcf", "demo08.vcf.gz", "demo04.bcf"):
        for line in _bcftools_csq(demo / FASTA["GRCh38"], gff3, demo / name).splitlines():
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            bcsq = next(item[5:] for item in fields[7].split(";") if item.startswith("BCSQ="))
            for alt in fields[4].split(","):
                assert expected[(fields[1], alt)] in bcsq, (name, fields[1], alt, bcsq)
                seen.add((fields[1], alt))
    assert seen == set(expected)


# --- alignments and the panel of normals (exon copy number from read depth) -----------------------


def _sheet(folder: Path) -> list[dict[str, str]]:
    with open(folder / "samples.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_alignments_are_small_indexed_and_hold_reads_only_around_the_gene(models):
    aligned = {row["sample_id"]: Path(row["alignment"]) for row in _sheet(COMMITTED) if row["alignment"]}
    assert sorted(aligned) == ["DEMO12", "DEMO14"]
    span = models["GRCh38"].span
    for sample, path in aligned.items():
        assert not path.is_absolute() and path.parent == DEMO_RELATIVE
        bam = REPO / path
        assert Path(f"{bam}.bai").is_file()
        assert bam.stat().st_size < 400_000
        with pysam.AlignmentFile(str(bam)) as reads:
            assert [group["SM"] for group in reads.header.to_dict()["RG"]] == [sample]
            starts = [read.reference_start for read in reads.fetch("chr9")]
        assert len(starts) > 5_000
        assert span.start - 10_000 <= min(starts) and max(starts) <= span.end + 10_000
    total = sum(path.stat().st_size for path in COMMITTED.glob("*.bam*"))
    total += (COMMITTED / "cnv_panel_of_normals.tsv").stat().st_size
    assert total < 1_000_000


def test_demo_config_uses_the_shipped_panel_of_normals():
    import yaml

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    assert config["cnv"]["reference_counts"] == (DEMO_RELATIVE / "cnv_panel_of_normals.tsv").as_posix()


@pytest.fixture(scope="module")
def demo_copy_number() -> dict:
    """The copy-number stage on the committed demo: its two alignments, the shipped panel, the schema defaults."""
    from trpm6_hsh.config import complete_section
    from trpm6_hsh.copy_number import call_copy_number, read_counts
    from trpm6_hsh.copy_number.caller import settings_of_section
    from trpm6_hsh.transcripts import load_mane_transcript

    aligned = {row["sample_id"]: REPO / row["alignment"] for row in _sheet(COMMITTED) if row["alignment"]}
    panel = read_counts(COMMITTED / "cnv_panel_of_normals.tsv")
    assert len(panel) == 24 and not set(aligned) & {item.sample for item in panel}
    transcript = load_mane_transcript(REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3")
    settings = settings_of_section(complete_section("cnv", {}))
    return call_copy_number(aligned, COMMITTED / FASTA["GRCh38"], transcript, settings, reference_counts=panel)


def test_demo14_alignment_shows_its_heterozygous_deletion_of_exons_4_5_with_high_confidence(demo_copy_number):
    result = demo_copy_number["DEMO14"]
    assert result.status == "assessed" and len(result.reference_samples) >= 5  # the most correlated normals
    assert all(name.startswith("NORMAL") for name in result.reference_samples)
    assert [(call.exons, call.copy_number, call.confidence) for call in result.calls] == [((4, 5), 1, "high")]
    outside = [exon for exon in result.exons if exon.exon not in (4, 5)]
    assert {exon.copy_number for exon in outside} == {2}


def test_demo12_alignment_shows_two_copies_of_every_exon(demo_copy_number):
    result = demo_copy_number["DEMO12"]
    assert result.status == "assessed" and result.calls == ()
    assert len(result.exons) == 39
    assert {(exon.status, exon.copy_number) for exon in result.exons} == {("assessed", 2)}


def test_a_batch_of_the_two_demo_alignments_alone_is_not_assessed():
    """Why the panel ships: without it the two samples have one other sample to compare with, and say so."""
    from trpm6_hsh.copy_number import call_copy_number
    from trpm6_hsh.transcripts import load_mane_transcript

    aligned = {row["sample_id"]: REPO / row["alignment"] for row in _sheet(COMMITTED) if row["alignment"]}
    results = call_copy_number(aligned, COMMITTED / FASTA["GRCh38"],
                               load_mane_transcript(REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"))
    assert {result.status for result in results.values()} == {"not_assessed"}
