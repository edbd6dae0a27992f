"""Hostile inputs, as a lab would break the workflow: each case states the verdict a correct tool gives or
the one-line error it must stop with (a Trpm6Error naming the file, with "Fix:"), and that nothing is left
half-written. Cases run through the package's stages (tests/hostile/chain.py), not Snakemake.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from hostile.builders import (
    BASE_RECORDS,
    BASE_VERDICT,
    COLUMNS,
    INTRON,
    META,
    MISSENSE,
    STOP,
    vcf_text,
    write_bcf,
    write_bgzf,
    write_plain_gzip,
    write_text,
)
from hostile.chain import FASTA, MODEL, REPO, run_chain
from trpm6_hsh.errors import Trpm6Error


@dataclass(frozen=True)
class Case:
    """One hostile input: a builder writing it into a folder, and the expected verdict or message."""

    id: str
    build: Callable[[Path], Path]
    verdict: str | None = None  # the proband's verdict when the run must succeed
    message: str | None = None  # a piece of the error text when the run must stop
    note: str | None = None  # a piece of an extract note the run must make


def text_case(id_, text, **expect) -> Case:
    return Case(id_, lambda folder: write_text(folder / "in.vcf", text), **expect)


def meta_with(*extra: str, drop: str | None = None) -> list[str]:
    return [line for line in META if not (drop and line.startswith(drop))] + list(extra)


def contig_meta(name: str, length: int = 138394717) -> list[str]:
    return [f"##contig=<ID={name},length={length}>" if line.startswith("##contig") else line for line in META]


def on(name: str, records=BASE_RECORDS) -> list[str]:
    return [line.replace("chr9", name, 1) for line in records]


def replace_field(line: str, index: int, value: str) -> str:
    fields = line.split()
    fields[index] = value
    return " ".join(fields)


CASES: list[Case] = [text_case("base-plain-vcf", vcf_text(), verdict=BASE_VERDICT)]

# ------------------------------------------------------------------ contig naming (never silently dropped)
HARMONISED = "name their contig otherwise than the header"
for header_name in ("chr9", "9", "NC_000009.12", None):
    for record_name in ("chr9", "9", "NC_000009.12"):
        meta = contig_meta(header_name) if header_name else meta_with(drop="##contig")
        note = HARMONISED if header_name and header_name != record_name else None
        CASES.append(text_case(f"contig-header-{header_name or 'none'}-records-{record_name}",
                               vcf_text(on(record_name), meta=meta), verdict=BASE_VERDICT, note=note))
CASES += [
    text_case("contig-header-both-records-9", vcf_text(on("9"), meta=meta_with("##contig=<ID=9,length=138394717>")),
              verdict=BASE_VERDICT, note=HARMONISED),
    text_case("contig-header-both-records-mixed",
              vcf_text([MISSENSE, *on("9", [INTRON, STOP])], meta=meta_with("##contig=<ID=9,length=138394717>")),
              verdict=BASE_VERDICT, note=HARMONISED),
    text_case("contig-stop-only-as-9", vcf_text(on("9", [STOP])), verdict=BASE_VERDICT, note=HARMONISED),
    text_case("contig-header-NC_000009.11", vcf_text(on("NC_000009.11"), meta=contig_meta("NC_000009.11", 141213431)),
              message="GRCh37"),
    text_case("contig-records-NC_000009.11-header-none", vcf_text(on("NC_000009.11"), meta=meta_with(drop="##contig")),
              message="GRCh37 accession"),
    text_case("contig-header-grch37-length", vcf_text(meta=contig_meta("chr9", 141213431)), message="GRCh37"),
    # No record on chromosome 9 at all: what the verdict box says about it is the verdict rules' business.
    text_case("contig-records-on-chr1-only",
              vcf_text(on("chr1"), meta=meta_with("##contig=<ID=chr1,length=248956422>")), verdict="any"),
]
for compression in ("bgzf-tbi", "bgzf-csi", "bgzf-noindex", "gzip", "bcf"):
    def _build(folder, compression=compression):
        text = vcf_text(on("9"), meta=meta_with("##contig=<ID=9,length=138394717>"))
        if compression == "bcf":
            return write_bcf(folder / "in.bcf", text)
        if compression == "gzip":
            return write_plain_gzip(folder / "in.vcf.gz", text)
        index = compression.split("-")[1] if compression != "bgzf-noindex" else None
        return write_bgzf(folder / "in.vcf.gz", text, index)
    CASES.append(Case(f"contig-records-9-{compression}", _build, verdict=BASE_VERDICT, note=HARMONISED))

# ------------------------------------------------------------------ header faults
CASES += [
    text_case("header-no-chrom-line", vcf_text(header_line=""), message="no '#CHROM' line"),
    text_case("header-duplicate-sample", vcf_text([r + " 0/0:30:99:30,0" for r in BASE_RECORDS], samples=("P1", "P1")),
              message="appear more than once"),
    text_case("header-sites-only", vcf_text([" ".join(r.split()[:8]) for r in BASE_RECORDS],
                                            header_line="\t".join(COLUMNS[:8])), message="sites-only"),
    text_case("header-sample-absent", vcf_text(samples=("OTHER",)), message="not in the VCF"),
    text_case("header-no-fileformat", vcf_text(meta=META[1:]), message="Fix:"),
    text_case("header-empty-file", "", message="empty"),
    text_case("header-only-meta", "\n".join(META) + "\n", message="Fix:"),
    text_case("header-ninth-column-not-format", vcf_text(header_line="\t".join([*COLUMNS[:8], "FMT", "P1"])),
              message="not FORMAT"),
    text_case("header-misspelt-column", vcf_text(header_line="\t".join(["#CHROM", "POS", "ID", "REF", "ALTS",
                                                                         *COLUMNS[5:], "P1"])),
              message="Fix:"),
    text_case("header-undefined-format-tag", vcf_text([r.replace("GT:DP:GQ:AD", "GT:DP:GQ:XX") for r in BASE_RECORDS],
                                                      meta=META), message="Fix:"),
    text_case("header-crlf", vcf_text().replace("\n", "\r\n"), verdict=BASE_VERDICT),
    text_case("header-not-a-vcf", "sample\tvcf\nP1\tin.vcf\n", message="Fix:"),
    text_case("header-binary-garbage", bytes(range(256)) * 4, message="Fix:"),
    text_case("header-utf8-bom", "\ufeff" + vcf_text(), message="Fix:"),
]

# ------------------------------------------------------------------ one record changed (at the stop, which decides)
STOP_FIELD_CASES = {
    "pos-zero": (1, "0", "not a position"),
    "pos-negative": (1, "-5", "Fix:"),
    "pos-text": (1, "abc", "Fix:"),
    "pos-float": (1, "74842198.0", "Fix:"),
    "ref-lowercase": (3, "g", None),
    "ref-N": (3, "N", None),
    "ref-wrong-base": (3, "T", None),
    "ref-digits": (3, "12", "Fix:"),
    "alt-equals-ref": (4, "G", "equals REF"),
    "alt-non-base": (4, "AXT", "Fix:"),
    "alt-non-ascii": (4, "Ä", "not DNA bases"),
    "alt-missing": (4, ".", None),
    "alt-empty-list": (4, "A,", "Fix:"),
    "alt-star": (4, "*", None),
    "alt-del-no-end": (4, "<DEL>", "Fix:"),
    "alt-breakend": (4, "G]chr2:321681]", None),
    "qual-text": (5, "high", None),
    "filter-lowqual": (6, "LowQual", None),
    "filter-undeclared": (6, "WeirdFilter", None),
    "info-undeclared": (7, "FOO=1", None),
    "info-bad-af": (7, "gnomAD_AF=abc", None),
    "format-no-gt": (8, "DP:AD", "no GT"),
    "format-gt-not-first": (8, "DP:GT:GQ:AD", "no GT"),
    "format-dot": (8, ".", "Fix:"),
}
for name, (index, value, message) in STOP_FIELD_CASES.items():
    CASES.append(text_case(f"record-stop-{name}", vcf_text([MISSENSE, INTRON, replace_field(STOP, index, value)]),
                           message=message, verdict=None if message else "any"))

GENOTYPES = {
    "gt-hom": ("1/1:40:99:0,40", "HOMOZYGOUS"),
    "gt-phased-hom": ("1|1:40:99:0,40", "HOMOZYGOUS"),
    "gt-het": ("0/1:40:99:20,20", "QUALIFYING_PLUS_VUS"),
    "gt-ref": ("0/0:40:99:40,0", "NEGATIVE"),
    "gt-missing": ("./.:0:0:0,0", "any"),
    "gt-dot": (".:40:99:0,40", "any"),
    "gt-haploid": ("1:40:99:0,40", "any"),
    "gt-triploid": ("1/1/1:40:99:0,40", "any"),
    "gt-allele-out-of-range": ("2/2:40:99:0,40", "any"),
    "gt-text": ("A/A:40:99:0,40", "any"),
    "gt-half-missing": ("./1:40:99:0,40", "any"),
    "dp-low": ("1/1:3:99:0,3", "any"),
    "dp-missing": ("1/1:.:99:0,40", "any"),
    "dp-text": ("1/1:deep:99:0,40", "any"),
    "dp-negative": ("1/1:-4:99:0,40", "any"),
    "gq-low": ("1/1:40:5:0,40", "any"),
    "gq-missing": ("1/1:40:.:0,40", "any"),
    "ad-ref-heavy": ("1/1:40:99:30,10", "any"),
    "ad-missing": ("1/1:40:99:.", "any"),
    "ad-short": ("1/1:40:99:40", "any"),
    "ad-long": ("1/1:40:99:0,40,3", "any"),
    "ad-text": ("1/1:40:99:x,y", "any"),
    "ad-zero-depth": ("1/1:40:99:0,0", "any"),
    "sample-trailing-fields-dropped": ("1/1", "any"),
    "sample-dot": (".", "any"),
    "sample-extra-field": ("1/1:40:99:0,40:7", "any"),
}
for name, (sample, verdict) in GENOTYPES.items():
    CASES.append(text_case(f"genotype-stop-{name}", vcf_text([MISSENSE, INTRON, replace_field(STOP, 9, sample)]),
                           verdict=verdict))

# ------------------------------------------------------------------ record order, duplicates, structure
CASES += [
    text_case("records-none", vcf_text([]), verdict="any"),
    text_case("records-unsorted", vcf_text([STOP, MISSENSE, INTRON]), verdict=BASE_VERDICT),
    text_case("records-duplicate-identical", vcf_text([*BASE_RECORDS, STOP]), verdict=BASE_VERDICT),
    text_case("records-duplicate-conflicting", vcf_text([*BASE_RECORDS, STOP.replace("1/1", "0/1")]),
              message="written twice with different genotypes"),
    text_case("records-short-line", vcf_text([MISSENSE, " ".join(INTRON.split()[:7]), STOP]),
              message="tab-separated columns"),
    text_case("records-missing-sample-column", vcf_text([MISSENSE, " ".join(INTRON.split()[:9]), STOP]),
              message="tab-separated columns"),
    # htslib drops an extra trailing column; a full-file scan on every run to catch it would cost a WGS read.
    text_case("records-extra-column", vcf_text([MISSENSE, INTRON + " 0/1", STOP]), verdict="any"),
    text_case("records-space-separated", vcf_text(BASE_RECORDS).replace("\t", " ").replace("#CHROM POS", "#CHROM\tPOS"),
              message="Fix:"),
    text_case("records-blank-line", vcf_text([MISSENSE, INTRON, STOP]).replace(MISSENSE.split()[1], "74800393", 1)
              + "\n", verdict="any"),
    text_case("records-multiallelic-split", vcf_text([MISSENSE, INTRON, replace_field(replace_field(
        STOP, 4, "A,C"), 9, "1/2:40:99:0,20,20")]), verdict="any"),
]

# ------------------------------------------------------------------ compression, truncation, indexes
def _bgzf(index=None, records=BASE_RECORDS):
    return lambda folder: write_bgzf(folder / "in.vcf.gz", vcf_text(records), index)


def _truncated(keep: float):
    def build(folder):
        path = write_bgzf(folder / "in.vcf.gz", vcf_text())
        data = path.read_bytes()
        path.write_bytes(data[: max(1, int(len(data) * keep))])
        return path
    return build


def _foreign_index(kind: str):
    """The index of another file (other contigs, other offsets) beside this one, with a newer timestamp."""
    def build(folder):
        other = write_bgzf(folder / "other" / "in.vcf.gz",
                           vcf_text(on("chr1"), meta=contig_meta("chr1", 248956422)), kind)
        path = write_bgzf(folder / "in.vcf.gz", vcf_text(), None)
        index = Path(f"{path}.{kind}")
        index.write_bytes(Path(f"{other}.{kind}").read_bytes())
        os.utime(index, (path.stat().st_mtime + 60, path.stat().st_mtime + 60))
        return path
    return build


def _same_contig_foreign_index(folder):
    """An index of a longer file on chr9: its offsets point past this file's records."""
    filler = [f"chr9 {1000 + i} . A G 50 PASS . GT:DP:GQ:AD 0/1:40:99:20,20" for i in range(3000)]
    other = write_bgzf(folder / "other" / "in.vcf.gz", vcf_text(filler + BASE_RECORDS), "tbi")
    path = write_bgzf(folder / "in.vcf.gz", vcf_text(), None)
    Path(f"{path}.tbi").write_bytes(Path(f"{other}.tbi").read_bytes())
    return path


def _stale_index(folder):
    path = write_bgzf(folder / "in.vcf.gz", vcf_text(), "tbi")
    os.utime(path, (path.stat().st_mtime + 60, path.stat().st_mtime + 60))
    return path


def _corrupt_index(folder):
    path = write_bgzf(folder / "in.vcf.gz", vcf_text(), "tbi")
    Path(f"{path}.tbi").write_bytes(b"not an index at all")
    return path


CASES += [
    Case("compression-bgzf-tbi", _bgzf("tbi"), verdict=BASE_VERDICT),
    Case("compression-bgzf-csi", _bgzf("csi"), verdict=BASE_VERDICT),
    Case("compression-bgzf-no-index", _bgzf(), verdict=BASE_VERDICT),
    Case("compression-plain-gzip", lambda folder: write_plain_gzip(folder / "in.vcf.gz", vcf_text()),
         verdict=BASE_VERDICT),
    Case("compression-bcf", lambda folder: write_bcf(folder / "in.bcf", vcf_text()), verdict=BASE_VERDICT),
    Case("compression-bcf-no-index", lambda folder: write_bcf(folder / "in.bcf", vcf_text(), index=False),
         verdict=BASE_VERDICT),
    Case("compression-gz-name-plain-content", lambda folder: write_text(folder / "in.vcf.gz", vcf_text()),
         verdict=BASE_VERDICT),
    Case("index-stale", _stale_index, verdict=BASE_VERDICT, note="older than the VCF"),
    Case("index-corrupt", _corrupt_index, verdict=BASE_VERDICT, note="streamed"),
    Case("index-foreign-tbi-newer", _foreign_index("tbi"), verdict=BASE_VERDICT, note="streamed"),
    Case("index-foreign-csi-newer", _foreign_index("csi"), verdict=BASE_VERDICT, note="streamed"),
    Case("index-foreign-same-contig", _same_contig_foreign_index, verdict=BASE_VERDICT),
]
for keep in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
    CASES.append(Case(f"truncated-bgzf-{int(keep * 100)}pct", _truncated(keep), message="Fix:"))
for keep in (0.3, 0.6, 0.9):
    def _plain_truncated(folder, keep=keep):
        text = vcf_text()
        return write_text(folder / "in.vcf", text[: int(len(text) * keep)])
    CASES.append(Case(f"truncated-plain-{int(keep * 100)}pct", _plain_truncated, verdict="any"))

# ------------------------------------------------------------------ each base record deleted or doubled
for position, line in enumerate(BASE_RECORDS):
    others = [other for other in BASE_RECORDS if other != line]
    CASES.append(text_case(f"records-without-{position}", vcf_text(others),
                           verdict=BASE_VERDICT if line != STOP else "any"))
    CASES.append(text_case(f"records-doubled-{position}", vcf_text([*BASE_RECORDS, line]), verdict=BASE_VERDICT))
    for chrom in ("chr9", "9", "CHR9", "chr09", "Chr9"):
        changed = [replace_field(other, 0, chrom) if other == line else other for other in BASE_RECORDS]
        CASES.append(text_case(f"records-{position}-contig-{chrom}", vcf_text(changed), verdict="any"))

# ------------------------------------------------------------------ non-ASCII and odd bytes anywhere
for where, line in (("info", replace_field(INTRON, 7, "NOTE=Müller")), ("id", replace_field(INTRON, 2, "rs1ä")),
                    ("filter", replace_field(INTRON, 6, "Fäil"))):
    CASES.append(text_case(f"nonascii-{where}-utf8", vcf_text([MISSENSE, line, STOP]), verdict="any"))
    CASES.append(text_case(f"nonascii-{where}-latin1", vcf_text([MISSENSE, line, STOP]).encode("latin-1"),
                           verdict="any"))
CASES.append(text_case("nonascii-sample-name", vcf_text(samples=("Pä",)), message="not in the VCF"))
CASES.append(text_case("nonascii-alt-latin1", vcf_text([MISSENSE, replace_field(INTRON, 4, "é"), STOP])
                       .encode("latin-1"), message="not DNA bases"))
CASES.append(text_case("nul-byte-in-record", vcf_text([MISSENSE, INTRON.replace("PASS", "PA\0SS"), STOP]),
                       message="Fix:"))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_vcf_case(case: Case, tmp_path: Path) -> None:
    vcf = case.build(tmp_path / "input")
    run = tmp_path / "run"
    if case.message is not None:
        with pytest.raises(Trpm6Error) as caught:
            run_chain(run, vcf)
        text = str(caught.value)
        assert "Fix:" in text and vcf.name in text, text
        assert case.message in text, text
        assert "Traceback" not in text and "internal error" not in text
        # The stage that stopped wrote nothing; earlier stages' finished outputs may stay.
        if not (run / "locus" / "batch.vcf.gz").exists():
            assert not (run / "locus" / "batch.extract.json").exists()
            assert [p.name for p in (run / "locus").iterdir()] == [] if (run / "locus").exists() else True
        assert not (run / "batch.consequences.tsv").exists() or not (run / "batch.variants.tsv").exists()
        assert not (run / "verdicts").exists()
        return
    try:
        result = run_chain(run, vcf)
    except Trpm6Error as error:
        assert case.verdict == "any", f"expected {case.verdict}, stopped: {error}"
        assert "Fix:" in str(error), error
        return
    verdict = result.verdicts["P1"]["verdict"]
    if case.verdict != "any":
        assert verdict == case.verdict, (verdict, result.notes)
    if case.note is not None:
        assert any(case.note in note for note in result.notes), result.notes


def test_index_of_another_file_is_not_trusted(tmp_path):
    result = run_chain(tmp_path / "run", _foreign_index("tbi")(tmp_path / "input"))
    assert not result.indexed_access
    assert any("built from another file" in note for note in result.notes), result.notes


def test_records_named_9_under_a_chr9_header_are_never_negative(tmp_path):
    vcf = write_text(tmp_path / "in.vcf", vcf_text(on("9", [STOP])))
    result = run_chain(tmp_path / "run", vcf)
    assert result.records_written == 1
    assert result.verdicts["P1"]["verdict"] == "HOMOZYGOUS"


# ------------------------------------------------------------------ process faults: outputs and inputs
def test_a_failing_extract_leaves_the_previous_output_untouched(tmp_path):
    good = write_text(tmp_path / "good.vcf", vcf_text())
    run_chain(tmp_path / "run", good)
    locus = tmp_path / "run" / "locus" / "batch.vcf.gz"
    bad = write_text(tmp_path / "bad.vcf", vcf_text(header_line=""))
    with pytest.raises(Trpm6Error):
        run_chain(tmp_path / "run", bad)
    assert not locus.exists()  # extract removes what it would have replaced: never a stale locus VCF
    assert [p.name for p in locus.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_output_folder_is_one_clear_error(tmp_path):
    vcf = write_text(tmp_path / "in.vcf", vcf_text())
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises((Trpm6Error, PermissionError)):
            run_chain(locked / "run", vcf)
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("missing", ["vcf", "directory-as-vcf"])
def test_missing_inputs_name_the_file(tmp_path, missing):
    vcf = tmp_path / "absent.vcf"
    if missing == "directory-as-vcf":
        vcf.mkdir()
    with pytest.raises(Trpm6Error, match="Fix:") as caught:
        run_chain(tmp_path / "run", vcf)
    assert str(vcf) in str(caught.value)


# ------------------------------------------------------------------ the annotate command line
CLI_RECORDS = {
    "ok": ("chr9\t74842198\t.\tG\tA\t.\tPASS\t.", 0, None),
    "pos-zero": ("chr9\t0\t.\tG\tA\t.\tPASS\t.", 1, "Fix:"),
    "alt-non-ascii": ("chr9\t74842198\t.\tG\tÄ\t.\tPASS\t.", 1, "Fix:"),
    "ref-equals-alt": ("chr9\t74842198\t.\tG\tG\t.\tPASS\t.", 1, "equals REF"),
    "short": ("chr9\t74842198\t.\tG", 1, "Fix:"),
    "contig-9": ("9\t74842198\t.\tG\tA\t.\tPASS\t.", 0, None),
}


@pytest.mark.parametrize("name", list(CLI_RECORDS))
def test_annotate_cli(tmp_path, name):
    record, code, message = CLI_RECORDS[name]
    vcf = write_text(tmp_path / "in.vcf", "##fileformat=VCFv4.2\n##contig=<ID=chr9,length=138394717>\n"
                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + record + "\n")
    out = tmp_path / "out.tsv"
    command = [sys.executable, "-m", "trpm6_hsh", "annotate", "--fasta", str(FASTA), "--gff", str(MODEL),
               "--vcf", str(vcf), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "src")})
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if message:
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert not out.exists()
