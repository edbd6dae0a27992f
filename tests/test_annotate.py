"""Built-in annotator: the 39 designed variants, the command line, and bad input."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pysam
import pytest

from trpm6_hsh.builtin_annotator import COLUMNS, Annotator, annotate_records, annotate_vcf, read_alleles
from trpm6_hsh.cli import main
from trpm6_hsh.errors import InputError

DATA = Path(__file__).parent / "data" / "annotator"
FASTA, GFF3, GTF, GENCODE = (DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", DATA / "trpm6.gtf",
                             DATA / "trpm6.gencode.gff3")
DESIGNED = DATA / "test.vcf"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _designed() -> list[dict[str, str]]:
    with pysam.VariantFile(str(DESIGNED)) as vcf:
        return [
            {"id": r.id, "pos": r.pos, "ref": r.ref, "alt": r.alts[0], "csq": r.info["EXP_CSQ"],
             "c": r.info["EXP_C"], "p": r.info["EXP_P"]}
            for r in vcf
        ]


DESIGNED_ROWS = _designed()


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> dict[int, dict[str, str]]:
    """Each designed record annotated on its own (no haplotype combination)."""
    out = tmp_path_factory.mktemp("alone") / "out.tsv"
    annotate_vcf(FASTA, GFF3, DESIGNED, out, combine_haplotypes=False)
    return {int(row["pos"]): row for row in _read(out)}


def expected_terms(text: str) -> tuple[set[str], set[str], list[set[str]]]:
    """(required, optional, one-of groups) from the fixture notation.

    ``stop_lost(inframe_deletion)``: stop_lost, inframe_deletion allowed beside it;
    ``splice_region_variant&(missense|synonymous)``: splice region plus one of the two;
    ``stop_gained(hap:Ser1800Lys)``: stop_gained when annotated alone (the haplotype is tested apart).
    """
    text = re.sub(r"\(hap:[^)]*\)", "", text)
    required, optional, one_of = set(), set(), []
    alternatives = re.search(r"&\(([^)]*)\)$", text)
    if alternatives:
        one_of.append({f"{term}_variant" for term in alternatives.group(1).split("|")})
        text = text[:alternatives.start()]
    extra = re.search(r"\(([^)]*)\)$", text)
    if extra:
        optional.update(extra.group(1).split("&"))
        text = text[:extra.start()]
    required.update(term for term in text.split("&") if term)
    return required, optional, one_of


def test_fixture_notation_parser() -> None:
    assert expected_terms("stop_lost(inframe_deletion)") == ({"stop_lost"}, {"inframe_deletion"}, [])
    assert expected_terms("splice_region_variant&(missense|synonymous)") == (
        {"splice_region_variant"}, set(), [{"missense_variant", "synonymous_variant"}])
    assert expected_terms("stop_gained(hap:Ser1800Lys)") == ({"stop_gained"}, set(), [])


@pytest.mark.parametrize("designed", DESIGNED_ROWS, ids=[d["id"] for d in DESIGNED_ROWS])
def test_designed_variant(designed: dict, alone: dict[int, dict[str, str]]) -> None:
    row = alone[designed["pos"]]
    ours = set(row["consequence"].split("&"))
    required, optional, one_of = expected_terms(designed["csq"])
    assert required <= ours, (designed["id"], ours)
    leftover = ours - required - optional
    for group in one_of:
        assert len(leftover & group) == 1, (designed["id"], ours)
        leftover -= group
    assert not leftover, (designed["id"], ours)
    assert row["hgvs_c"] == designed["c"]
    if designed["p"] != ".":
        assert row["hgvs_p"].replace("(", "").replace(")", "") == designed["p"]


# Our p. for the designed records whose fixture leaves p. open ('.'), checked by hand against the
# translated fixture (VEP agrees except where its 3' UTR bug bites, see FIXTURES_README.md).
OWN_PROTEIN = {
    "del_stop_codon": "p.(Ter2023ThrextTer27)",
    "fs_del1_last_exon": "p.(His2014IlefsTer7)",
    "fs_ins4": "p.(Asp1667GlufsTer3)",
    "inframe_del_split": "p.(Lys1334_Ile1335delinsAsn)",
    "inframe_dup3": "p.(Thr1301dup)",
    "fs_dup1": "p.(Val1168SerfsTer14)",
    "fs_del2": "p.(Pro1002SerfsTer4)",
    "inframe_ins": "p.(Gly902_Ser903insAla)",
    "fs_ins1": "p.(Glu835Ter)",
    "inframe_del_codon": "p.(Phe800del)",
    "exon15_last_base": "p.(Ala577=)",
    "fs_del1": "p.(Trp335GlyfsTer5)",
    "stop_gained_Q100": "p.(Gln100Ter)",
    "stop_lost": "p.(Ter2023ArgextTer28)",
    "start_lost_c1": "p.Met1?",
    "donor_+1_int5": "p.?",
    "acceptor_-2_int29": "p.?",
    "del_exon22_acceptor_span": "p.?",
    "utr5_c-20": "",
    "intron12_+300": "",
    "upstream_1kb": "",
}


@pytest.mark.parametrize(("record_id", "expected"), sorted(OWN_PROTEIN.items()))
def test_protein_notation(record_id: str, expected: str, alone: dict[int, dict[str, str]]) -> None:
    pos = next(d["pos"] for d in DESIGNED_ROWS if d["id"] == record_id)
    assert alone[pos]["hgvs_p"] == expected


def test_columns_and_accessions(alone: dict[int, dict[str, str]]) -> None:
    row = alone[42171]
    assert list(row) == list(COLUMNS)
    assert row["transcript"] == "ENST00000360774"
    assert row["transcript_accession"] == "NM_017662.5"
    assert row["protein_accession"] == "NP_060132.3"
    assert row["is_mane"] == "true"
    assert row["gene"] == "TRPM6"
    assert row["impact"] == "HIGH"
    assert row["exon"] == "26/39" and row["intron"] == ""
    assert row["hgvs_g"] == "g.42171C>T"
    assert alone[91999]["intron"] == "12/38" and alone[91999]["exon"] == ""
    assert alone[62849]["exon"] == "22/39" and alone[62849]["intron"] == "21/38"
    assert not any(value.startswith(("NM_", "ENST")) for value in (row["hgvs_c"], row["hgvs_p"]))


def test_rows_sorted_and_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    annotate_vcf(FASTA, GFF3, DESIGNED, first)
    annotate_vcf(FASTA, GFF3, DESIGNED, second)
    assert first.read_bytes() == second.read_bytes()
    rows = _read(first)
    keys = [(int(r["pos"]), r["ref"], r["alt"], r["transcript"]) for r in rows]
    assert keys == sorted(keys)


@pytest.mark.parametrize("model", [GTF, GENCODE], ids=["gtf", "gencode_gff3"])
def test_gtf_and_gencode_models_give_the_same_calls(model: Path, tmp_path: Path,
                                                    alone: dict[int, dict[str, str]]) -> None:
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, model, DESIGNED, out, combine_haplotypes=False)
    for row in _read(out):
        reference = alone[int(row["pos"])]
        for column in ("consequence", "hgvs_c", "hgvs_p", "lof", "lof_confidence", "pvs1_strength",
                       "transcript_accession"):
            assert row[column] == reference[column], (row["pos"], column)


def test_cli_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "out.tsv"
    code = main(["annotate", "--fasta", str(FASTA), "--gff", str(GFF3), "--vcf", str(DESIGNED),
                 "--out", str(out)])
    assert code == 0
    rows = _read(out)
    assert len(rows) == 39
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_intergenic_variant_gets_one_row_without_transcript(tmp_path: Path) -> None:
    vcf = tmp_path / "far.vcf"
    base = pysam.FastaFile(str(FASTA)).fetch("TRPM6_locus", 99, 100)
    vcf.write_text("##fileformat=VCFv4.2\n##contig=<ID=TRPM6_locus,length=170000>\n"
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                   f"TRPM6_locus\t100\t.\t{base}\t{'A' if base != 'A' else 'C'}\t.\t.\t.\n")
    model = tmp_path / "small.gff3"
    model.write_text("##gff-version 3\n"
                     "TRPM6_locus\tt\tmRNA\t100000\t100300\t.\t+\t.\tID=transcript:T1;biotype=lncRNA\n"
                     "TRPM6_locus\tt\texon\t100000\t100300\t.\t+\t.\tParent=transcript:T1\n")
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, model, vcf, out)
    (row,) = _read(out)
    assert row["transcript"] == "" and row["consequence"] == "intergenic_variant"
    assert row["impact"] == "MODIFIER" and row["lof"] == "false"
    assert row["hgvs_g"] == f"g.100{base}>{'A' if base != 'A' else 'C'}" and row["hgvs_c"] == ""


# --------------------------------------------------------------------------- contig naming
def test_chr_prefixed_vcf_and_fasta_are_harmonised(tmp_path: Path, alone: dict[int, dict[str, str]]) -> None:
    fasta = tmp_path / "chr.fa"
    text = FASTA.read_text().replace(">TRPM6_locus", ">chrTRPM6_locus")
    fasta.write_text(text)
    vcf = tmp_path / "chr.vcf"
    vcf.write_text(DESIGNED.read_text().replace("TRPM6_locus", "chrTRPM6_locus"))
    out = tmp_path / "out.tsv"
    annotate_vcf(fasta, GFF3, vcf, out, combine_haplotypes=False)
    rows = _read(out)
    assert len(rows) == 39
    for row in rows:
        assert row["chrom"] == "chrTRPM6_locus"
        assert row["consequence"] == alone[int(row["pos"])]["consequence"]


# --------------------------------------------------------------------------- bad input
def _vcf(tmp_path: Path, line: str, name: str = "bad.vcf") -> Path:
    path = tmp_path / name
    path.write_text("##fileformat=VCFv4.2\n##contig=<ID=TRPM6_locus,length=170000>\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + line + "\n")
    return path


def test_ref_mismatch_names_file_record_and_fix(tmp_path: Path) -> None:
    base = pysam.FastaFile(str(FASTA)).fetch("TRPM6_locus", 42170, 42171)
    wrong = "A" if base != "A" else "C"
    vcf = _vcf(tmp_path, f"TRPM6_locus\t42171\tx\t{wrong}\tG\t.\t.\t.")
    with pytest.raises(InputError) as caught:
        annotate_vcf(FASTA, GFF3, vcf, tmp_path / "out.tsv")
    assert caught.value.path == str(vcf)
    assert "record 1" in caught.value.record
    assert "does not match" in caught.value.problem and "reference" in caught.value.fix
    assert not (tmp_path / "out.tsv").exists()


def test_unreadable_vcf_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.vcf.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(InputError, match="cannot read the VCF"):
        annotate_vcf(FASTA, GFF3, broken, tmp_path / "out.tsv")
    with pytest.raises(InputError, match="does not exist"):
        annotate_vcf(FASTA, GFF3, tmp_path / "absent.vcf", tmp_path / "out.tsv")


def test_fasta_without_the_model_contig_is_an_input_error(tmp_path: Path) -> None:
    other = tmp_path / "other.fa"
    other.write_text(">chr1\nACGTACGTAC\n")
    with pytest.raises(InputError, match="contig") as caught:
        annotate_vcf(other, GFF3, DESIGNED, tmp_path / "out.tsv")
    assert caught.value.path == str(other)


def test_model_without_transcripts_is_an_input_error(tmp_path: Path) -> None:
    model = tmp_path / "empty.gff3"
    model.write_text("##gff-version 3\nTRPM6_locus\tx\tgene\t1\t10\t.\t+\t.\tID=gene:G\n")
    with pytest.raises(InputError, match="no transcript"):
        annotate_vcf(FASTA, model, DESIGNED, tmp_path / "out.tsv")


def test_cli_reports_bad_input_without_traceback(tmp_path: Path, capsys) -> None:
    code = main(["annotate", "--fasta", str(FASTA), "--gff", str(GFF3), "--vcf", str(tmp_path / "no.vcf"),
                 "--out", str(tmp_path / "out.tsv")])
    assert code == 1
    err = capsys.readouterr().err
    assert "no.vcf" in err and "Fix:" in err and "Traceback" not in err


def test_read_only_fasta_folder_without_index(tmp_path: Path) -> None:
    """No .fai and no way to write one: the FASTA is still read (Biopython fallback)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(FASTA, folder / "locus.fa")
    folder.chmod(0o555)
    try:
        annotator = Annotator(folder / "locus.fa", GFF3)
        rows = annotate_records(annotator, read_alleles(DESIGNED, annotator), combine_haplotypes=False)
        assert len(rows) == 39
    finally:
        folder.chmod(0o755)


# --------------------------------------------------------------------------- models with several transcripts
def _two_transcript_model(tmp_path: Path) -> Path:
    """The MANE transcript plus a non-coding transcript (exons 25-27 of TRPM6) and a non-MANE copy."""
    text = GFF3.read_text()
    extra = [
        "TRPM6_locus\tt\tlnc_RNA\t41696\t51835\t.\t-\t.\tID=transcript:ENST00000999001;"
        "Parent=gene:ENSG00000119121;biotype=lncRNA;transcript_id=ENST00000999001;version=1",
        "TRPM6_locus\tt\texon\t51703\t51835\t.\t-\t.\tParent=transcript:ENST00000999001",
        "TRPM6_locus\tt\texon\t41999\t43134\t.\t-\t.\tParent=transcript:ENST00000999001",
        "TRPM6_locus\tt\texon\t41696\t41808\t.\t-\t.\tParent=transcript:ENST00000999001",
    ]
    model = tmp_path / "two.gff3"
    model.write_text(text + "\n".join(extra) + "\n")
    return model


def test_every_transcript_is_annotated_and_mane_is_flagged(tmp_path: Path) -> None:
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, _two_transcript_model(tmp_path), DESIGNED, out)
    rows = _read(out)
    at_w1500 = [r for r in rows if r["pos"] == "42171"]
    assert [r["transcript"] for r in at_w1500] == ["ENST00000360774", "ENST00000999001"]
    mane, lnc = at_w1500
    assert (mane["is_mane"], lnc["is_mane"]) == ("true", "false")
    assert lnc["transcript_accession"] == "ENST00000999001.1" and lnc["protein_accession"] == ""
    assert lnc["consequence"] == "non_coding_transcript_exon_variant"
    assert lnc["hgvs_c"].startswith("n.") and lnc["hgvs_p"] == ""
    assert lnc["lof"] == "false" and lnc["exon"] == "2/3"
    assert mane["consequence"] == "stop_gained" and mane["lof"] == "true"
    # variants far from the lncRNA still get their MANE row only
    assert [r["transcript"] for r in rows if r["pos"] == "4563"] == ["ENST00000360774"]


def test_default_model_is_the_shipped_mane_select(tmp_path: Path) -> None:
    from trpm6_hsh.builtin_annotator import default_model
    from trpm6_hsh.transcripts import load_transcripts

    root = Path(__file__).parents[1]
    for build in ("GRCh38", "GRCh37"):
        shipped = root / "resources" / build / "trpm6_mane_select.gff3"
        assert default_model(build).read_bytes() == shipped.read_bytes()
        (transcript,) = load_transcripts(default_model(build))
        assert transcript.is_mane and transcript.cds_length == 6069
    with pytest.raises(InputError, match="build"):
        default_model("hg18")


def test_spanning_deletion_allele_is_kept_and_flagged(tmp_path: Path) -> None:
    base = pysam.FastaFile(str(FASTA)).fetch("TRPM6_locus", 42170, 42171)
    vcf = _vcf(tmp_path, f"TRPM6_locus\t42171\t.\t{base}\tT,*\t.\t.\t.")
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, GFF3, vcf, out)
    rows = _read(out)
    star = [r for r in rows if r["alt"] == "*"]
    assert len(star) == 1 and star[0]["flags"] == "SPANNING_DELETION_ALLELE"
    assert star[0]["lof"] == "false"
    assert any(r["alt"] == "T" and r["transcript"] == "ENST00000360774" for r in rows)


def test_vcf_contig_missing_from_fasta_is_an_input_error(tmp_path: Path) -> None:
    vcf = tmp_path / "other.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n"
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t10\t.\tA\tG\t.\t.\t.\n")
    with pytest.raises(InputError, match="not in the reference FASTA") as caught:
        annotate_vcf(FASTA, GFF3, vcf, tmp_path / "out.tsv")
    assert caught.value.record.startswith("record 1")


def test_multiallelic_record_gives_one_row_per_alt(tmp_path: Path) -> None:
    base = pysam.FastaFile(str(FASTA)).fetch("TRPM6_locus", 80392, 80393)
    alts = [b for b in "ACGT" if b != base][:2]
    vcf = _vcf(tmp_path, f"TRPM6_locus\t80393\t.\t{base}\t{','.join(alts)}\t.\t.\t.")
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, GFF3, vcf, out)
    assert sorted(r["alt"] for r in _read(out)) == sorted(alts)


def test_gzip_fasta_in_read_only_folder(tmp_path: Path) -> None:
    import gzip

    folder = tmp_path / "ro"
    folder.mkdir()
    with open(FASTA, "rb") as source, gzip.open(folder / "locus.fa.gz", "wb") as target:
        target.write(source.read())
    folder.chmod(0o555)
    try:
        annotator = Annotator(folder / "locus.fa.gz", GFF3)
        rows = annotate_records(annotator, read_alleles(DESIGNED, annotator), combine_haplotypes=False)
        assert {r.pos: r.hgvs_c for r in rows}[42171] == "c.4500G>A"
    finally:
        folder.chmod(0o755)


def test_empty_or_garbage_fasta_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.fa"
    empty.write_text("")
    with pytest.raises(InputError, match="FASTA"):
        annotate_vcf(empty, GFF3, DESIGNED, tmp_path / "out.tsv")
    with pytest.raises(InputError, match="does not exist"):
        annotate_vcf(tmp_path / "absent.fa", GFF3, DESIGNED, tmp_path / "out.tsv")


def test_chr_prefixed_model_with_plain_fasta_and_vcf(tmp_path: Path, alone: dict[int, dict[str, str]]) -> None:
    model = tmp_path / "chr.gff3"
    model.write_text(GFF3.read_text().replace("TRPM6_locus\t", "chrTRPM6_locus\t"))
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, model, DESIGNED, out, combine_haplotypes=False)
    rows = _read(out)
    assert len(rows) == 39
    for row in rows:
        assert row["chrom"] == "TRPM6_locus"
        assert row["hgvs_c"] == alone[int(row["pos"])]["hgvs_c"]


def test_gvcf_placeholder_alleles_are_not_variants(tmp_path: Path) -> None:
    base = pysam.FastaFile(str(FASTA)).fetch("TRPM6_locus", 42170, 42171)
    other = "A" if base != "A" else "C"
    vcf = _vcf(tmp_path, f"TRPM6_locus\t42171\t.\t{base}\t{other},<NON_REF>\t.\t.\t.\n"
                         f"TRPM6_locus\t42180\t.\t{pysam.FastaFile(str(FASTA)).fetch('TRPM6_locus', 42179, 42180)}"
                         "\t<NON_REF>\t.\t.\tEND=42190")
    out = tmp_path / "out.tsv"
    annotate_vcf(FASTA, GFF3, vcf, out)
    rows = _read(out)
    assert [(r["pos"], r["alt"]) for r in rows] == [("42171", other)]
