"""The normaliser: real VEP, SnpEff and bcftools csq output on the synthetic fixture locus, into one table.

Fixtures (tests/data/annotator/) are the annotator-fixture files: 39 designed variants on a synthetic
TRPM6 locus (contig TRPM6_locus), annotated by VEP 115.2, SnpEff 5.1d and bcftools csq 1.24.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pysam
import pytest
import yaml
from conftest import REPO

from trpm6_hsh import __version__
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.config import Sample
from trpm6_hsh.errors import InputError
from trpm6_hsh.external_annotators import ANNOTATORS
from trpm6_hsh.external_annotators.concordance import concordance_rows
from trpm6_hsh.external_annotators.hgvs_style import normalise_hgvs_c, normalise_hgvs_p
from trpm6_hsh.external_annotators.normalise import COLUMNS, Normaliser, normalise_annotation, transcript_stem
from trpm6_hsh.external_annotators.readers import haplotype_bits, read_tool_output
from trpm6_hsh.external_annotators.terms import map_terms, so_term
from trpm6_hsh.external_annotators.tools import bcftools_csq_arguments
from trpm6_hsh.inheritance import call_biallelic_status
from trpm6_hsh.report import write_report
from trpm6_hsh.tsv import read_table

DATA = REPO / "tests" / "data" / "annotator"
FASTA, MODEL, LOCUS = DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", DATA / "test.vcf"
TOOL_FILES = {"vep": "test.vep.vcf", "snpeff": "test.snpeff.vcf", "bcftools_csq": "test.bcftools.vcf"}


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser(FASTA, MODEL, LOCUS)


@pytest.fixture(scope="module")
def tables(normaliser) -> dict[str, dict[int, dict]]:
    """Per annotator: the normalised row of each designed variant, by position."""
    found = {}
    for name, file in TOOL_FILES.items():
        rows = normaliser.rows(name, read_tool_output(DATA / file))
        found[name] = {int(row["pos"]): row for row in rows}
    found["builtin"] = {row.pos: row.__dict__ for rows in normaliser.builtin_rows.values() for row in rows}
    return found


# --------------------------------------------------------------------------- style and vocabulary
@pytest.mark.parametrize(("tool", "current"), [
    ("c.1003delT", "c.1003del"),
    ("c.3901_3903dupACT", "c.3901_3903dup"),
    ("c.123_124delAGinsTT", "c.123_124delinsTT"),
    ("ENST00000360774.6:c.2920-5_2923del", "c.2920-5_2923del"),
    ("c.5000_5001insGACT", "c.5000_5001insGACT"),
    ("c.*50C>T", "c.*50C>T"),
])
def test_hgvs_c_in_current_style(tool, current):
    assert normalise_hgvs_c(tool) == current


@pytest.mark.parametrize(("tool", "current"), [
    ("p.Gln100*", "p.(Gln100Ter)"),
    ("p.Trp335fs", "p.(Trp335fs)"),
    ("p.Gly1200Gly", "p.(Gly1200=)"),
    ("p.Ter2023Ter", "p.(Ter2023=)"),
    ("ENSP00000354006.1:p.Gly1200%3D", "p.(Gly1200=)"),
    ("ENSP00000354006.1:p.Trp335GlyfsTer5", "p.(Trp335GlyfsTer5)"),
    ("p.Ter2023Argext*?", "p.(Ter2023ArgextTer?)"),
    ("p.Met1?", "p.Met1?"),
    ("p.?", "p.?"),
    ("", ""),
])
def test_hgvs_p_in_current_style(tool, current):
    assert normalise_hgvs_p(tool) == current


def test_tool_words_map_to_project_terms_and_unknown_words_are_named():
    assert map_terms(["conservative_inframe_deletion"]).terms == ("inframe_deletion",)
    assert map_terms(["frameshift", "splice_region"]).terms == ("frameshift_variant", "splice_region_variant")
    assert map_terms(["splice_donor_5th_base_variant", "intron_variant"]).terms == (
        "splice_region_variant", "intron_variant")
    assert map_terms(["NMD_transcript_variant", "stop_gained"]).terms == ("stop_gained",)
    odd = map_terms(["brand_new_term"])
    assert odd.terms == ("sequence_variant",) and odd.unknown == ("brand_new_term",)


def test_the_three_terms_the_peer_comparison_once_mapped_otherwise():
    """SO sub-term -> its parent; an SO term the table has stays; one it lacks becomes sequence_variant."""
    assert map_terms(["splice_polypyrimidine_tract_variant", "intron_variant"]).terms == (
        "splice_region_variant", "intron_variant")
    assert map_terms(["non_coding_transcript_variant"]).terms == ("non_coding_transcript_variant",)
    assert map_terms(["feature_elongation"]) == map_terms(["sequence_variant"])
    assert so_term("NMD_transcript_variant") is None and so_term("missense") == "missense_variant"


def test_the_annotator_names_are_the_config_schema_enum():
    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    properties = schema["properties"]
    assert tuple(properties["annotator"]["enum"]) == ANNOTATORS
    assert tuple(properties["annotator_concordance"]["items"]["enum"]) == ANNOTATORS


def test_transcript_names_of_every_tool_match_the_model():
    assert transcript_stem("transcript:ENST00000360774.6") == "ENST00000360774"
    assert transcript_stem("ENST00000360774") == "ENST00000360774"
    assert transcript_stem("NM_017662.5") == "NM_017662"


# --------------------------------------------------------------------------- each reader
def test_vep_csq_gives_current_hgvs_and_the_project_lof_call(tables):
    stop = tables["vep"][42171]  # stop_gained_W1500
    assert (stop["consequence"], stop["hgvs_c"], stop["hgvs_p"]) == ("stop_gained", "c.4500G>A", "p.(Trp1500Ter)")
    assert (stop["lof"], stop["lof_confidence"], stop["pvs1_strength"]) == (True, "HC", "VeryStrong")
    assert stop["hgvs_source"] == "tool" and stop["annotator"] == "vep" and stop["annotator_version"] == "v115.2"
    synonymous = tables["vep"][43071]
    assert synonymous["hgvs_p"] == "p.(Gly1200=)"  # VEP wrote p.Gly1200%3D


def test_vep_csq_read_by_field_name_not_position(tmp_path, normaliser):
    """Reversing the CSQ field order (header and values) changes nothing."""
    text = (DATA / "test.vep.vcf").read_text()
    out = []
    for line in text.splitlines():
        if line.startswith("##INFO=<ID=CSQ"):
            head, fields = line.split("Format: ")
            names = fields.rstrip('">').split("|")
            line = f'{head}Format: {"|".join(reversed(names))}">'
        elif not line.startswith("#"):
            columns = line.split("\t")
            info = []
            for item in columns[7].split(";"):
                if item.startswith("CSQ="):
                    entries = item[4:].split(",")
                    item = "CSQ=" + ",".join("|".join(reversed(e.split("|"))) for e in entries)
                info.append(item)
            columns[7] = ";".join(info)
            line = "\t".join(columns)
        out.append(line)
    shuffled = tmp_path / "shuffled.vep.vcf"
    shuffled.write_text("\n".join(out) + "\n")
    original = normaliser.rows("vep", read_tool_output(DATA / "test.vep.vcf"))
    again = normaliser.rows("vep", read_tool_output(shuffled))
    assert again == original


def test_snpeff_hgvs_restyled_and_its_lof_tags_kept(tables):
    fs = tables["snpeff"][101675]  # fs_del1: SnpEff writes c.1003delT / p.Trp335fs
    assert (fs["hgvs_c"], fs["hgvs_p"]) == ("c.1003del", "p.(Trp335fs)")
    stop = tables["snpeff"][122198]  # p.Gln100*
    assert stop["hgvs_p"] == "p.(Gln100Ter)"
    assert "SnpEff LOF" in stop["tool_lof"] and "SnpEff NMD" in stop["tool_lof"]
    inframe = tables["snpeff"][72761]
    assert inframe["consequence"] == "inframe_deletion"
    assert inframe["tool_consequence"] == "conservative_inframe_deletion"


def test_bcftools_joint_codon_change_is_one_event_and_hgvs_comes_from_the_builtin(tables):
    first, second = tables["bcftools_csq"][19811], tables["bcftools_csq"][19812]
    for row in (first, second):  # T>A and C>A on one haplotype make Ser1800Lys, not a stop
        assert row["consequence"] == "missense_variant"
        assert row["lof"] is False
        assert "JOINT_WITH:19811G>T+19812A>T" in row["flags"]
    assert first["hgvs_c"] == "c.5399C>A" and first["hgvs_source"] == "builtin"
    assert "S_phased_pair:2" in first["plugin_fields"]
    # VEP and SnpEff annotate each record alone and call the stop
    assert tables["vep"][19811]["lof"] is True and tables["snpeff"][19811]["lof"] is True


def test_bcsq_bitmask_interleaves_haplotypes():
    assert haplotype_bits(2, 1) == [(False, True)]
    assert haplotype_bits(0b0110, 2) == [(False, True), (True, False)]
    assert haplotype_bits(3, 2) == [(True, True), (False, False)]


def test_alleles_a_tool_is_silent_about_get_builtin_rows_flagged(tables):
    upstream = tables["bcftools_csq"][168921]  # bcftools csq writes no up/downstream terms
    assert upstream["consequence"] == "upstream_gene_variant"
    assert "BUILTIN_FALLBACK:not_annotated_by_tool" in upstream["flags"]
    assert "BUILTIN_FALLBACK" not in tables["vep"][168921]["flags"]


def test_the_project_lof_rules_run_on_every_annotator(tables):
    """Where a tool's consequence equals the built-in one, the LoF call is the built-in's, exactly."""
    compared = 0
    for name in TOOL_FILES:
        for pos, row in tables[name].items():
            builtin = tables["builtin"][pos]
            if row["consequence"] != builtin["consequence"]:
                continue
            compared += 1
            mine = (row["lof"], row["lof_confidence"], row["pvs1_strength"], row["lof_reason"])
            assert mine == (builtin["lof"], builtin["lof_confidence"], builtin["pvs1_strength"],
                            builtin["lof_reason"]), (name, pos)
    assert compared > 90
    # and a call the tools word differently still gets the same PVS1 strength
    span = 62849  # del_exon22_acceptor_span: SnpEff adds frameshift_variant
    assert tables["snpeff"][span]["pvs1_strength"] == tables["builtin"][span]["pvs1_strength"] == "VeryStrong"
    last_exon = 4641  # fs_del1_last_exon escapes NMD: downgraded for every annotator
    assert {tables[n][last_exon]["lof_confidence"] for n in (*TOOL_FILES, "builtin")} == {"LC"}


def test_an_allele_not_in_the_locus_vcf_is_refused(tmp_path, normaliser):
    text = (DATA / "test.vep.vcf").read_text().replace("TRPM6_locus\t42171\t", "TRPM6_locus\t42170\t")
    other = tmp_path / "moved.vep.vcf"
    other.write_text(text)
    with pytest.raises(InputError, match="not in the locus VCF"):
        normaliser.rows("vep", read_tool_output(other))


def test_vcf_without_a_consequence_field_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no CSQ, ANN or BCSQ"):
        read_tool_output(LOCUS)


# --------------------------------------------------------------------------- concordance
def test_concordance_names_the_fields_that_differ(tables):
    def as_text(rows):
        return [{k: ("true" if v is True else "false" if v is False else str(v)) for k, v in r.items()}
                for r in rows.values()]

    rows = concordance_rows({name: as_text(tables[name]) for name in ("vep", "bcftools_csq")})
    pair = next(r for r in rows if r["pos"] == 19811)
    assert pair["agree"] is False and "consequence" in pair["differs_in"] and "lof" in pair["differs_in"]
    assert pair["vep.consequence"] == "stop_gained" and pair["bcftools_csq.consequence"] == "missense_variant"
    same = next(r for r in rows if r["pos"] == 42171)
    assert same["agree"] is True and same["differs_in"] == ""


# --------------------------------------------------------------------------- bcftools phase choice
def test_bcftools_runs_haplotype_aware_only_on_phased_input(tmp_path):
    phased = bcftools_csq_arguments(FASTA, MODEL, LOCUS, tmp_path / "o.vcf", "auto")
    assert "-p" in phased and "-l" not in phased
    unphased = tmp_path / "unphased.vcf"
    unphased.write_text(LOCUS.read_text().replace("0|1", "0/1"))
    assert "-l" in bcftools_csq_arguments(FASTA, MODEL, unphased, tmp_path / "o.vcf", "auto")
    with pytest.raises(InputError):
        bcftools_csq_arguments(FASTA, MODEL, LOCUS, tmp_path / "o.vcf", "sometimes")


def test_bcftools_stays_local_when_a_sample_has_two_phase_blocks(tmp_path):
    from conftest import write_vcf

    def batch(second_ps: int) -> Path:
        return write_vcf(tmp_path / f"ps{second_ps}.vcf", ["S1"], [
            f"chr9 74750698 . G A . PASS . GT:DP:GQ:AD:PS 0|1:40:90:20,20:{74750698}",
            f"chr9 74762384 . G T . PASS . GT:DP:GQ:AD:PS 1|0:40:90:20,20:{second_ps}",
        ])

    one_block = bcftools_csq_arguments(FASTA, MODEL, batch(74750698), tmp_path / "o.vcf", "auto")
    two_blocks = bcftools_csq_arguments(FASTA, MODEL, batch(74762384), tmp_path / "o.vcf", "auto")
    assert "-p" in one_block and "-l" in two_blocks


# --------------------------------------------------------------------------- VEP -> classify -> verdict
LOFTEE = "LoF|LoF_filter|LoF_flags|LoF_info|SpliceAI_pred_DS_AG"


def patient_vep_vcf(tmp_path: Path, loftee: bool) -> Path:
    """Two real VEP records (stop_gained_W1500, fs_del1) given to one patient, phased in trans."""
    lines = (DATA / "test.vep.vcf").read_text().splitlines()
    header = [line for line in lines if line.startswith("##")]
    if loftee:
        header = [line.replace('HGVS_OFFSET|trpm6.ensembl.gff3.gz">', f'HGVS_OFFSET|trpm6.ensembl.gff3.gz|{LOFTEE}">')
                  if line.startswith("##INFO=<ID=CSQ") else line for line in header]
    header += ['##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
               '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
               '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
               '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">']
    body = []
    for line in lines:
        columns = line.split("\t")
        if line.startswith("#") or columns[2] not in ("stop_gained_W1500", "fs_del1"):
            continue
        if loftee:
            columns[7] = columns[7].replace("|trpm6.ensembl.gff3.gz||", "|trpm6.ensembl.gff3.gz|||HC|||"
                                            "GERP_DIST:-120|0.02")
        genotype = "1|0" if columns[2] == "stop_gained_W1500" else "0|1"
        body.append("\t".join([*columns[:8], "GT:DP:GQ:AD:PS", f"{genotype}:40:90:20,20:1000"]))
    body.sort(key=lambda line: int(line.split("\t")[1]))
    path = tmp_path / "patient.vcf"
    path.write_text("\n".join([*header, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT", *body])
                    + "\n")
    return path


@pytest.mark.parametrize("loftee", [False, True])
def test_real_vep_output_to_a_verdict(tmp_path, loftee):
    vcf = patient_vep_vcf(tmp_path, loftee)
    table = tmp_path / "patient.consequences.tsv"
    assert normalise_annotation("vep", vcf, vcf, FASTA, MODEL, table) == 2
    rows = read_table(table, COLUMNS)
    assert {row["lof_confidence"] for row in rows} == {"HC"}
    variants = tmp_path / "patient.variants.tsv"
    classify_variants(table, vcf, variants, {"info_fields": []})
    classified = read_table(variants)
    assert [row["qualifying"] for row in classified] == ["true", "true"]
    if loftee:
        stop = next(row for row in rows if row["hgvs_p"] == "p.(Trp1500Ter)")
        assert "LoF=HC" in stop["plugin_fields"] and "SpliceAI_pred_DS_AG=0.02" in stop["plugin_fields"]
        assert stop["tool_lof"].startswith("LOFTEE HC")
        assert all("LOFTEE=HC" in row["annotation_flags"] for row in classified)  # what the report shows
    out = tmp_path / "PATIENT.verdict.json"
    call_biallelic_status(
        sample={"sample_id": "PATIENT", "paternal_id": "", "maternal_id": ""}, family_batches={"PATIENT": "patient"},
        locus_vcfs=[vcf], variant_tables=[variants], genotype_qc={}, model=MODEL, out=out,
    )
    assert json.loads(out.read_text())["verdict"] == "COMPOUND_HET_TRANS"
    if loftee:  # the plugin's call reaches the counselor's report beside the variant
        resources = tmp_path / "resources.json"
        resources.write_text(json.dumps({"inputs": [], "reference_header": "TRPM6_locus", "synthetic_reference": True}))
        html, report_json = tmp_path / "PATIENT.report.html", tmp_path / "PATIENT.report.json"
        write_report(out, resources, [], MODEL, REPO / "workflow" / "schemas" / "report.schema.json",
                     Sample("PATIENT", str(vcf)), build="GRCh38", config_sha256="c" * 64, annotator="vep",
                     report_settings={"laboratory": "", "report_date": "", "referral_reason": "HSH"},
                     out_html=html, out_json=report_json, out_tsv=tmp_path / "PATIENT.report.tsv")
        assert "LOFTEE=HC" in html.read_text()
        assert all("LOFTEE=HC" in v["annotation_flags"] for v in json.loads(report_json.read_text())["variants"])


# --------------------------------------------------------------------------- the custom example
@pytest.mark.parametrize("output_format", ["vcf", "tsv"])
def test_custom_example_follows_the_contract(tmp_path, tables, output_format):
    out = tmp_path / f"custom.{output_format}"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "custom_annotator_example.py"), "--vcf", str(LOCUS), "--fasta",
         str(FASTA), "--model", str(MODEL), "--out", str(out), "--format", output_format],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    table = tmp_path / "custom.consequences.tsv"
    normalise_annotation("custom", out, LOCUS, FASTA, MODEL, table, output_format=output_format)
    with open(table, newline="") as handle:
        rows = {int(row["pos"]): row for row in csv.DictReader(handle, delimiter="\t")}
    for pos, builtin in tables["builtin"].items():
        assert rows[pos]["consequence"] == builtin["consequence"]
        assert rows[pos]["pvs1_strength"] == builtin["pvs1_strength"]
    # The version the example states (header line or column) reaches every row, hence every report.
    assert {row["annotator_version"] for row in rows.values()} == {
        f"custom_annotator_example 1.0 (trpm6_hsh {__version__} engine)"}
    if output_format == "vcf":
        with pysam.VariantFile(str(out)) as vcf:
            assert "CSQ" in vcf.header.info


def test_a_custom_table_states_its_version_in_an_optional_column(tmp_path):
    header = "chrom\tpos\tref\talt\ttranscript\tconsequence"
    row = "chr9\t100\tC\tT\tENST00000360774\tstop_gained"
    without = tmp_path / "without.tsv"
    without.write_text(f"{header}\n{row}\n")
    assert read_tool_output(without, "tsv").version == ""
    stated = tmp_path / "stated.tsv"
    stated.write_text(f"{header}\tannotator_version\n{row}\tmytool 2.1\n")
    assert read_tool_output(stated, "tsv").version == "mytool 2.1"


def test_vep_model_is_sorted_bgzipped_and_indexed(tmp_path):
    from trpm6_hsh.external_annotators.tools import prepare_vep_model

    shuffled = tmp_path / "model.gff3"
    lines = MODEL.read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    shuffled.write_text("\n".join(header + list(reversed([line for line in lines if not line.startswith("#")]))))
    out = tmp_path / "vep" / "model.gff3.gz"
    prepare_vep_model(shuffled, out)
    with pysam.TabixFile(str(out)) as tabix:
        starts = [int(line.split("\t")[3]) for line in tabix.fetch("TRPM6_locus")]
    assert starts == sorted(starts) and len(starts) > 40
    assert not (tmp_path / "vep" / "model.gff3").exists()


def test_gtf_model_gives_the_same_calls_as_gff3(tables):
    """The same transcript as GTF (CDS without the stop codon): same consequences and LoF calls."""
    from_gtf = Normaliser(FASTA, DATA / "trpm6.gtf", LOCUS).rows("vep", read_tool_output(DATA / "test.vep.vcf"))
    for row in from_gtf:
        gff = tables["vep"][int(row["pos"])]
        fields = ("consequence", "hgvs_c", "hgvs_p", "lof", "lof_confidence", "pvs1_strength")
        assert tuple(row[f] for f in fields) == tuple(gff[f] for f in fields), row["pos"]


@pytest.mark.parametrize("tool", ["vep", "snpeff"])
def test_lof_calls_agree_with_the_builtin_on_5000_random_variants(tool):
    """Real VEP/SnpEff output (VEP's file is plain gzip) on 5,000 random SNVs and indels: where the
    consequence agrees, the LoF call is identical; overall the LoF calls agree on >= 99.9% of rows."""
    random_set = DATA / "random5000.vcf.gz"
    normaliser = Normaliser(FASTA, MODEL, random_set)
    builtin = {(r.pos, r.ref, r.alt): r for rows in normaliser.builtin_rows.values() for r in rows if r.transcript}
    rows = normaliser.rows(tool, read_tool_output(DATA / f"random5000.{tool}.vcf.gz"))
    same_lof = compared = 0
    for row in rows:
        reference = builtin.get((int(row["pos"]), row["ref"], row["alt"]))
        if reference is None or row["transcript"] != reference.transcript:
            continue
        compared += 1
        call = (row["lof"], row["lof_confidence"], row["pvs1_strength"])
        agrees = call == (reference.lof, reference.lof_confidence, reference.pvs1_strength)
        same_lof += agrees
        if row["consequence"] == reference.consequence:
            assert agrees, (tool, row["pos"], row["consequence"])
    assert compared >= 4990
    assert same_lof / compared >= 0.999


def test_command_line_normalises_and_fails_in_one_line(tmp_path):
    command = [sys.executable, "-m", "trpm6_hsh.external_annotators", "--annotator", "snpeff", "--annotated",
               str(DATA / "test.snpeff.vcf"), "--vcf", str(LOCUS), "--fasta", str(FASTA), "--gff", str(MODEL)]
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([*command, "--out", str(tmp_path / "t.tsv")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert len(read_table(tmp_path / "t.tsv", COLUMNS)) == 39
    broken = subprocess.run([*command[:6], str(LOCUS), *command[7:], "--out", str(tmp_path / "u.tsv")],
                            capture_output=True, text=True, env=env)
    assert broken.returncode == 1 and "no CSQ, ANN or BCSQ" in broken.stderr and "Traceback" not in broken.stderr


def test_refseq_transcript_names_from_a_refseq_cache_match_the_model(tmp_path, normaliser, tables):
    refseq = tmp_path / "refseq.vep.vcf"
    refseq.write_text((DATA / "test.vep.vcf").read_text().replace("|Transcript|ENST00000360774|",
                                                                  "|Transcript|NM_017662.5|"))
    rows = {int(r["pos"]): r for r in normaliser.rows("vep", read_tool_output(refseq))}
    assert rows[42171]["transcript"] == "ENST00000360774" and rows[42171]["transcript_accession"] == "NM_017662.5"
    assert "TRANSCRIPT_NOT_IN_MODEL" not in rows[42171]["flags"]
    assert rows[42171]["pvs1_strength"] == tables["vep"][42171]["pvs1_strength"] == "VeryStrong"
