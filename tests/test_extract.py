"""Tests for the extract stage, on tiny synthetic FASTAs and VCFs written into tmp_path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pysam
import pysam.bcftools as bcftools
import pytest
from conftest import REPO

from trpm6_hsh.contigs import contig_name_variants, match_contig_name
from trpm6_hsh.errors import InputError, ReferenceMismatchError
from trpm6_hsh.extract import (
    ExtractSummary,
    extract_locus,
    read_extract_summary,
    read_region_bed,
    read_vcf_contigs,
    read_vcf_samples,
    vcf_contig_naming,
)
from trpm6_hsh.model import Build

CONTIG_LENGTH = 3000
HOMOPOLYMER_START = 1001  # 1-based; six A's at 1001-1006, flanked by non-A bases
SAMPLES = ("S1", "S2", "S3")


def _synthetic_sequence() -> str:
    rng = random.Random(20261121)
    bases = [rng.choice("ACGT") for _ in range(CONTIG_LENGTH)]
    bases[HOMOPOLYMER_START - 2] = "C"
    bases[HOMOPOLYMER_START - 1 : HOMOPOLYMER_START + 5] = ["A"] * 6
    bases[HOMOPOLYMER_START + 5] = "G"
    return "".join(bases)


SEQUENCE = _synthetic_sequence()


def base(pos: int) -> str:
    return SEQUENCE[pos - 1]


def other_base(pos: int) -> str:
    return next(b for b in "ACGT" if b != base(pos))


def write_fasta(folder: Path, contig: str = "chr9") -> Path:
    fasta = folder / f"ref_{contig}.fa"
    lines = [SEQUENCE[i : i + 60] for i in range(0, len(SEQUENCE), 60)]
    fasta.write_text(f">{contig} synthetic test sequence, not human\n" + "\n".join(lines) + "\n")
    return fasta


def write_bed(folder: Path, contig: str = "chr9", start0: int = 99, end: int = 2500) -> Path:
    bed = folder / "locus.bed"
    bed.write_text(f"# TRPM6 test locus\n{contig}\t{start0}\t{end}\tTRPM6\n")
    return bed


def snv(pos: int, gts: tuple[str, ...] = ("0/1", "1/1", "0/0")) -> str:
    return record(pos, base(pos), other_base(pos), gts)


def record(pos: int, ref: str, alt: str, gts: tuple[str, ...] = ("0/1", "1/1", "0/0"), info: str = ".") -> str:
    return "\t".join(["{chrom}", str(pos), ".", ref, alt, "50", "PASS", info, "GT", *gts])


def write_vcf(
    folder: Path,
    body: list[str],
    *,
    name: str = "in.vcf",
    chrom: str = "chr9",
    contig_length: int | None = CONTIG_LENGTH,
    declare_contig: bool = True,
    samples: tuple[str, ...] = SAMPLES,
) -> Path:
    header = ["##fileformat=VCFv4.2"]
    if declare_contig:
        length = f",length={contig_length}" if contig_length is not None else ""
        header.append(f"##contig=<ID={chrom}{length}>")
        header.append(f"##contig=<ID={'chr1' if chrom.startswith('chr') else '1'},length=248956422>")
    header += [
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
        '##ALT=<ID=DEL,Description="Deletion">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]),
    ]
    path = folder / name
    path.write_text("\n".join(header + [line.format(chrom=chrom) for line in body]) + "\n")
    return path


def bgzip(vcf: Path, index: bool = True) -> Path:
    gz = Path(f"{vcf}.gz")
    pysam.tabix_compress(str(vcf), str(gz), force=True)
    if index:
        pysam.tabix_index(str(gz), preset="vcf", force=True)
    return gz


def to_bcf(vcf: Path, index: bool = True) -> Path:
    bcf = vcf.with_suffix(".bcf")
    bcftools.view("--no-version", "-Ob", "-o", str(bcf), str(vcf), catch_stdout=False)
    if index:
        bcftools.index(str(bcf), catch_stdout=False)
    return bcf


def body_lines(vcf_gz: Path) -> list[str]:
    with pysam.VariantFile(str(vcf_gz)) as handle:
        return [str(rec).rstrip("\n") for rec in handle]


def sites(vcf_gz: Path) -> list[tuple[str, int, str, str]]:
    with pysam.VariantFile(str(vcf_gz)) as handle:
        return [(r.chrom, r.pos, r.ref, ",".join(r.alts or ())) for r in handle]


def run(tmp_path: Path, vcf: Path, **kwargs) -> tuple[ExtractSummary, Path]:
    fasta = kwargs.pop("fasta", None) or write_fasta(tmp_path)
    bed = kwargs.pop("bed", None) or write_bed(tmp_path)
    out = tmp_path / "out" / "locus.vcf.gz"
    samples = kwargs.pop("samples", ("S1",))
    summary = extract_locus(vcf, samples, fasta, bed, out, build=kwargs.pop("build", "GRCh38"), **kwargs)
    return summary, out


def no_outputs_left(out_folder: Path) -> bool:
    return not out_folder.exists() or not any(out_folder.iterdir())


# ----------------------------------------------------------------------------------------------


def test_indexed_and_streamed_reads_give_identical_records(tmp_path: Path) -> None:
    body = [snv(50), snv(150), snv(700), record(2450, base(2450) + SEQUENCE[2450:2460], base(2450)), snv(2900)]
    plain = write_vcf(tmp_path, body)
    indexed_gz = bgzip(plain)
    unindexed_dir = tmp_path / "noindex"
    unindexed_dir.mkdir()
    unindexed_gz = bgzip(write_vcf(unindexed_dir, body), index=False)

    results = {}
    for label, vcf in (("indexed", indexed_gz), ("unindexed_gz", unindexed_gz), ("plain", plain)):
        summary, out = run(tmp_path, vcf)
        results[label] = (summary, body_lines(out))
    assert results["indexed"][0].indexed_access is True
    assert results["unindexed_gz"][0].indexed_access is False
    assert results["plain"][0].indexed_access is False
    assert results["indexed"][1] == results["unindexed_gz"][1] == results["plain"][1]
    # The deletion may be left-aligned by a base or two in random sequence; it stays in the locus.
    assert [line.split("\t")[1] for line in results["indexed"][1]][:2] == ["150", "700"]
    assert len(results["indexed"][1]) == 3


def test_bcf_input_indexed_and_not(tmp_path: Path) -> None:
    vcf = write_vcf(tmp_path, [snv(150), snv(800)])
    summary, out = run(tmp_path, to_bcf(vcf))
    assert summary.indexed_access is True
    assert [s[1] for s in sites(out)] == [150, 800]
    assert Path(f"{out}.tbi").is_file()

    other = tmp_path / "other"
    other.mkdir()
    summary, out = run(tmp_path, to_bcf(write_vcf(other, [snv(150), snv(800)]), index=False))
    assert summary.indexed_access is False
    assert [s[1] for s in sites(out)] == [150, 800]


@pytest.mark.parametrize(
    ("vcf_contig", "fasta_contig", "bed_contig"),
    [("9", "chr9", "chr9"), ("chr9", "9", "9"), ("9", "chr9", "9"), ("chr9", "9", "chr9")],
)
def test_contig_naming_harmonised_to_reference(
    tmp_path: Path, vcf_contig: str, fasta_contig: str, bed_contig: str
) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150), snv(800)], chrom=vcf_contig))
    fasta = write_fasta(tmp_path, fasta_contig)
    summary, out = run(tmp_path, vcf, fasta=fasta, bed=write_bed(tmp_path, bed_contig))
    assert {s[0] for s in sites(out)} == {fasta_contig}
    assert summary.contig_renamed_from == vcf_contig
    assert summary.regions == (f"{fasta_contig}:100-2500",)
    contigs = read_vcf_contigs(out)
    assert fasta_contig in contigs and vcf_contig not in contigs
    assert ("chr1" if fasta_contig.startswith("chr") else "1") in contigs  # other header contigs too


def test_same_naming_is_not_renamed(tmp_path: Path) -> None:
    summary, out = run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])))
    assert summary.contig_renamed_from is None
    assert sites(out)[0][0] == "chr9"


def test_contig_name_helpers() -> None:
    assert set(contig_name_variants("9")) == {"9", "chr9"}
    assert set(contig_name_variants("chrM")) == {"chrM", "MT", "M", "chrMT"}
    assert match_contig_name("MT", ["chrM", "chr9"]) == "chrM"
    assert match_contig_name("chrM", {"MT": 1}) == "MT"
    assert match_contig_name("chr9", ["chr9", "9"]) == "chr9"
    assert match_contig_name("chr10", ["chr9"]) is None


def test_multiallelic_split(tmp_path: Path) -> None:
    ref = base(300)
    alt1, alt2 = [b for b in "ACGT" if b != ref][:2]
    vcf = write_vcf(tmp_path, [record(300, ref, f"{alt1},{alt2}", ("1/2", "0/1", "0/2"))])
    summary, out = run(tmp_path, vcf, samples=("S1", "S2"))
    assert sites(out) == [("chr9", 300, ref, alt1), ("chr9", 300, ref, alt2)]
    assert summary.multiallelic_split == 1
    assert summary.records_in_region == 1
    assert summary.records_written == 2
    with pysam.VariantFile(str(out)) as handle:
        first = next(iter(handle))
        original = ",".join(first.info["ORIGINAL_RECORD"])
        assert original.startswith(f"chr9|300|{ref}|{alt1},{alt2}")


def test_indel_left_aligned_in_homopolymer(tmp_path: Path) -> None:
    # Delete one A of AAAAAA (1001-1006), written at the right end: 1005 AA>A.
    vcf = write_vcf(tmp_path, [record(1005, "AA", "A")])
    summary, out = run(tmp_path, vcf)
    assert sites(out) == [("chr9", 1000, "CA", "C")]
    assert summary.left_aligned == 1


def test_spanning_deletion_allele_dropped_and_counted(tmp_path: Path) -> None:
    ref = base(1500)
    alt = other_base(1500)
    vcf = write_vcf(tmp_path, [record(1500, ref, f"*,{alt}", ("1/2", "0/1", "0/0"))])
    summary, out = run(tmp_path, vcf)
    assert sites(out) == [("chr9", 1500, ref, alt)]
    assert summary.spanning_deletions_dropped == 1
    assert summary.multiallelic_split == 1


def test_symbolic_deletion_kept(tmp_path: Path) -> None:
    sv = record(2000, base(2000), "<DEL>", info="SVTYPE=DEL;END=2300")
    summary, out = run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150), sv])))
    assert sites(out)[1] == ("chr9", 2000, base(2000), "<DEL>")
    with pysam.VariantFile(str(out)) as handle:
        deletion = list(handle)[1]
        assert deletion.info["SVTYPE"] == "DEL" and deletion.stop == 2300
    assert summary.symbolic_alleles_kept == 1


def test_deletion_starting_before_the_locus_is_kept_both_ways(tmp_path: Path) -> None:
    sv = record(50, base(50), "<DEL>", info="SVTYPE=DEL;END=400")
    plain = write_vcf(tmp_path, [sv, snv(60)])
    streamed, out = run(tmp_path, plain)
    streamed_sites = sites(out)
    indexed, out = run(tmp_path, bgzip(plain))
    assert streamed_sites == sites(out) == [("chr9", 50, base(50), "<DEL>")]
    assert indexed.indexed_access and not streamed.indexed_access


def test_sample_subset_in_requested_order(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150, ("0/1", "1/1", "0/0"))]))
    summary, out = run(tmp_path, vcf, samples=("S3", "S1"))
    assert read_vcf_samples(out) == ("S3", "S1")
    with pysam.VariantFile(str(out)) as handle:
        rec = next(iter(handle))
        assert rec.samples["S3"]["GT"] == (0, 0)
        assert rec.samples["S1"]["GT"] == (0, 1)
    assert summary.samples == ("S3", "S1")


def test_missing_sample_is_named(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150)]))
    with pytest.raises(InputError) as caught:
        run(tmp_path, vcf, samples=("S1", "PATIENT_7"))
    message = str(caught.value)
    assert "PATIENT_7" in message and "S1, S2, S3" in message
    assert str(vcf) in message and "sample_id" in message
    assert no_outputs_left(tmp_path / "out")


def test_truncated_gz_is_an_input_error_and_leaves_nothing(tmp_path: Path) -> None:
    body = [snv(pos) for pos in range(100, 2500, 3)] * 3
    vcf = bgzip(write_vcf(tmp_path, sorted(body, key=lambda line: int(line.split("\t")[1]))), index=False)
    data = vcf.read_bytes()
    vcf.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        run(tmp_path, vcf)
    assert no_outputs_left(tmp_path / "out")


def test_truncated_indexed_gz_is_caught_too(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(pos) for pos in range(100, 2500, 2)]))
    data = vcf.read_bytes()
    vcf.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        run(tmp_path, vcf)
    assert no_outputs_left(tmp_path / "out")


def test_failed_run_removes_a_previous_output(tmp_path: Path) -> None:
    _, out = run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])))
    assert out.exists()
    with pytest.raises(InputError):
        run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])), samples=("NOBODY",))
    assert no_outputs_left(out.parent)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="VCF not found") as caught:
        run(tmp_path, tmp_path / "absent.vcf.gz")
    assert "absent.vcf.gz" in str(caught.value)


def test_not_a_vcf(tmp_path: Path) -> None:
    junk = tmp_path / "notes.vcf"
    junk.write_text("this is a lab note, not a VCF\n")
    with pytest.raises(InputError, match="not a readable VCF"):
        run(tmp_path, junk)


def test_wrong_build_header_length(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150)], contig_length=141_213_431))
    with pytest.raises(ReferenceMismatchError) as caught:
        run(tmp_path, vcf)
    message = str(caught.value)
    assert "141,213,431" in message and "GRCh37" in message
    assert f"{CONTIG_LENGTH:,}" in message
    assert str(vcf) in message and "lift" in message
    assert no_outputs_left(tmp_path / "out")


def test_header_length_disagreeing_with_reference(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150)], contig_length=CONTIG_LENGTH + 1))
    with pytest.raises(ReferenceMismatchError, match="3,001.*3,000"):
        run(tmp_path, vcf)


def test_matching_header_length_passes_and_is_reported(tmp_path: Path) -> None:
    summary, _ = run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])))
    assert summary.header_contig_length == summary.reference_contig_length == CONTIG_LENGTH


def test_configured_build_header_on_a_locus_fasta_is_accepted(tmp_path: Path) -> None:
    # A lab's locus-only FASTA is shorter than chr9; the header's GRCh38 length matches the config.
    vcf = bgzip(write_vcf(tmp_path, [snv(150)], contig_length=138_394_717))
    summary, out = run(tmp_path, vcf, build="GRCh38")
    assert summary.records_written == 1
    with pytest.raises(ReferenceMismatchError, match="GRCh38"):
        run(tmp_path, vcf, build="GRCh37")


def test_ref_mismatch_names_the_record(tmp_path: Path) -> None:
    wrong = other_base(400)
    vcf = bgzip(write_vcf(tmp_path, [snv(150), record(400, wrong, base(400))], chrom="9"))
    with pytest.raises(ReferenceMismatchError) as caught:
        run(tmp_path, vcf)
    message = str(caught.value)
    assert f"9:400 REF={wrong}, reference has {base(400)}" in message
    assert "1 of 2" in message
    assert no_outputs_left(tmp_path / "out")


def test_a_few_ref_mismatches_in_a_large_locus_are_tolerated(tmp_path: Path) -> None:
    body = [snv(pos) for pos in range(200, 2400, 50)]  # 44 records
    body.append(record(2450, other_base(2450), base(2450)))
    summary, _ = run(tmp_path, write_vcf(tmp_path, body))
    assert summary.ref_mismatches == 1
    assert summary.ref_mismatch_examples == (f"chr9:2450 REF={other_base(2450)}, reference has {base(2450)}",)


def test_region_restriction(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(99), snv(100), snv(2500), snv(2501)]))
    summary, out = run(tmp_path, vcf)
    assert [s[1] for s in sites(out)] == [100, 2500]
    assert summary.records_in_region == 2


def test_empty_locus_writes_a_valid_empty_vcf(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(50), snv(2900)]))
    summary, out = run(tmp_path, vcf)
    assert sites(out) == []
    assert Path(f"{out}.tbi").is_file()
    assert summary.records_written == 0
    assert any("no records" in note for note in summary.notes)


def test_locus_contig_absent_from_header_and_no_records(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [], declare_contig=False))
    summary, out = run(tmp_path, vcf)
    assert sites(out) == []
    assert summary.locus_contig_in_header is False
    assert any("declares no contig" in note for note in summary.notes)


def test_records_without_contig_lines_are_still_found(tmp_path: Path) -> None:
    vcf = write_vcf(tmp_path, [snv(150)], chrom="9", declare_contig=False)
    summary, out = run(tmp_path, vcf)
    assert sites(out) == [("chr9", 150, base(150), other_base(150))]


def test_summary_json_written_when_asked(tmp_path: Path) -> None:
    summary_path = tmp_path / "out" / "locus.summary.json"
    summary, _ = run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])), summary_json=summary_path)
    written = json.loads(summary_path.read_text())
    assert written["records_written"] == summary.records_written == 1
    assert written["indexed_access"] is True


def test_summary_json_follows_its_schema_and_reads_back(tmp_path: Path) -> None:
    summary_path = tmp_path / "out" / "locus.extract.json"
    vcf = write_vcf(tmp_path, [snv(150), record(700, base(700), f"{other_base(700)},<DEL>")], chrom="9")
    summary, _ = run(tmp_path, vcf, summary_json=summary_path)
    schema = json.loads((REPO / "workflow" / "schemas" / "extract.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(summary_path.read_text()), schema)
    assert summary.contig_renamed_from == "9" and summary.multiallelic_split == 1
    assert read_extract_summary(summary_path) == summary
    assert read_extract_summary(summary_path).build is Build.GRCH38


def test_a_file_that_is_no_summary_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "x.extract.json"
    broken.write_text('{"source_vcf": "a.vcf"}')
    with pytest.raises(InputError, match="not an extraction summary"):
        read_extract_summary(broken)
    broken.write_text("{")
    with pytest.raises(InputError, match="cannot read the extraction summary"):
        read_extract_summary(broken)


def test_stale_index_is_not_trusted(tmp_path: Path) -> None:
    import os

    vcf = bgzip(write_vcf(tmp_path, [snv(150)]))
    index = Path(f"{vcf}.tbi")
    os.utime(index, (vcf.stat().st_mtime - 100, vcf.stat().st_mtime - 100))
    summary, out = run(tmp_path, vcf)
    assert summary.indexed_access is False
    assert sites(out)[0][1] == 150


def test_region_bed_errors(tmp_path: Path) -> None:
    bed = tmp_path / "bad.bed"
    bed.write_text("chr9\tabc\t100\n")
    with pytest.raises(InputError, match="line 1"):
        read_region_bed(bed)
    far = write_bed(tmp_path, "chr9", 74_722_494, 74_887_921)
    with pytest.raises(ReferenceMismatchError, match="beyond"):
        run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])), bed=far)


def test_header_helpers(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150)], chrom="9"))
    assert read_vcf_samples(vcf) == SAMPLES
    assert read_vcf_contigs(vcf)["9"] == CONTIG_LENGTH
    assert vcf_contig_naming(vcf) == "plain"
    with pytest.raises(InputError):
        read_vcf_samples(tmp_path / "absent.vcf")


def test_corrupt_index_falls_back_to_streaming(tmp_path: Path) -> None:
    vcf = bgzip(write_vcf(tmp_path, [snv(150), snv(800)]))
    Path(f"{vcf}.tbi").write_bytes(b"not an index at all")
    summary, out = run(tmp_path, vcf)
    assert summary.indexed_access is False
    assert any("streamed" in note for note in summary.notes)
    assert [s[1] for s in sites(out)] == [150, 800]


def test_plain_gzip_is_streamed(tmp_path: Path) -> None:
    import gzip

    vcf = write_vcf(tmp_path, [snv(150), snv(800)])
    gz = tmp_path / "plain_gzip.vcf.gz"
    gz.write_bytes(gzip.compress(vcf.read_bytes()))
    summary, out = run(tmp_path, gz)
    assert summary.indexed_access is False
    assert [s[1] for s in sites(out)] == [150, 800]


def test_bed_with_several_intervals_and_threads(tmp_path: Path) -> None:
    bed = tmp_path / "two.bed"
    bed.write_text("9\t99\t500\n9\t1999\t2500\n9\t400\t600\n")
    vcf = bgzip(write_vcf(tmp_path, [snv(150), snv(550), snv(800), snv(2100)]))
    summary, out = run(tmp_path, vcf, bed=bed, threads=2)
    assert summary.regions == ("chr9:100-600", "chr9:2000-2500")
    assert [s[1] for s in sites(out)] == [150, 550, 2100]


def test_unknown_build_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="reference.build"):
        run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)])), build="hg19")


def test_output_header_names_only_the_reference_contig(tmp_path: Path) -> None:
    _, out = run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)], chrom="9")))
    with pysam.VariantFile(str(out)) as handle:
        text = str(handle.header)
    assert "##contig=<ID=chr9,length=3000>" in text
    assert "##contig=<ID=9," not in text
    assert '##trpm6_hsh_extract=<Source="in.vcf.gz",Regions="chr9:100-2500">' in text


def test_truncated_plain_gzip_is_an_input_error(tmp_path: Path) -> None:
    import gzip

    rng = random.Random(7)
    body = [snv(pos, (rng.choice(["0/1", "1/1"]), "0/0", "0/1")) for pos in range(100, 2500, 2)] * 5
    vcf = write_vcf(tmp_path, sorted(body, key=lambda line: int(line.split("\t")[1])))
    data = gzip.compress(vcf.read_bytes())
    gz = tmp_path / "cut.vcf.gz"
    gz.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated or corrupt"):
        run(tmp_path, gz)
    assert no_outputs_left(tmp_path / "out")


def test_undefined_info_tag_is_a_clear_error(tmp_path: Path) -> None:
    vcf = write_vcf(tmp_path, [record(150, base(150), other_base(150), info="MYSTERY=1")])
    with pytest.raises(InputError, match="does not define"):
        run(tmp_path, vcf)
    assert no_outputs_left(tmp_path / "out")


def test_reference_of_another_build_than_configured(tmp_path: Path) -> None:
    fasta = write_fasta(tmp_path)
    # Only the .fai is consulted for lengths: declare the GRCh37 chr9 length without writing 141 Mb.
    offset = len(fasta.read_text().splitlines()[0]) + 1
    Path(f"{fasta}.fai").write_text(f"chr9\t141213431\t{offset}\t60\t61\n")
    with pytest.raises(ReferenceMismatchError, match="GRCh37 length, but reference.build is GRCh38"):
        run(tmp_path, bgzip(write_vcf(tmp_path, [snv(150)], contig_length=None)), fasta=fasta)
