"""The report in a counselor's words: HGVS names, no pipeline words in the verdict box, evidence a reviewer can
check (narrative, criteria, badges that match what counted, references), optional header fields, colour.

Verdicts are made by the package (inheritance stage on tiny VCFs and a small classification table with HGVS
names), then the report document and HTML are built from them as the report stage does.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, VCF_HEADER
from test_inheritance import FMT, HET, HOM, QC, REF

from trpm6_hsh import wording
from trpm6_hsh.config import LabValues, Sample
from trpm6_hsh.inheritance import call_biallelic_status, read_verdict
from trpm6_hsh.model import Phase, PhaseSource, Verdict, Zygosity
from trpm6_hsh.report import build_document, render_html, validate_document
from trpm6_hsh.report.diagram import gene_diagram
from trpm6_hsh.report.findings import code_points
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import write_table

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
SCHEMA = REPO / "workflow" / "schemas" / "report.schema.json"
CSS = REPO / "src" / "trpm6_hsh" / "templates" / "_style.css"
SV_HEADER = (
    '##INFO=<ID=CIPOS,Number=2,Type=Integer,Description="Confidence interval around POS">\n'
    '##INFO=<ID=CIEND,Number=2,Type=Integer,Description="Confidence interval around END">\n'
    '##INFO=<ID=IMPRECISE,Number=0,Type=Flag,Description="Imprecise structural variation">\n'
)

STOP = "chr9 74842100 . C T"
FRAMESHIFT = "chr9 74827800 . AG A"
MISSENSE = "chr9 74800300 . G A"
SYNONYMOUS = "chr9 74820400 . G A"
COMMON_STOP = "chr9 74830000 . C T"
SV = "chr9 74770879 . N <DEL> . PASS SVTYPE=DEL;END=74772830;IMPRECISE;CIPOS=0,50;CIEND=-30,30"
# pos, ref, alt, hgvs_g, hgvs_c, hgvs_p, consequence, class, qualifying, candidate VUS, evidence, points, AF, lof
ROWS = [
    ("74842100", "C", "T", "g.74842100C>T", "c.298C>T", "p.(Gln100Ter)", "stop_gained", "Likely pathogenic",
     "true", "false", "PVS1;PM2_Supporting", "9", "1e-05", "true"),
    ("74827800", "AG", "A", "g.74827801del", "c.1000del", "p.(Ser334AlafsTer5)", "frameshift_variant",
     "Likely pathogenic", "true", "false", "PVS1;PM2_Supporting", "9", "", "true"),
    ("74800300", "G", "A", "g.74800300G>A", "c.2000C>T", "p.(Ala667Val)", "missense_variant",
     "Uncertain significance", "false", "true", "PM2_Supporting", "1", "", "false"),
    ("74820400", "G", "A", "g.74820400G>A", "c.1500C>T", "p.(Ala500=)", "synonymous_variant", "Likely benign",
     "false", "false", "BP7", "-1", "0.001", "false"),
    ("74830000", "C", "T", "g.74830000C>T", "c.900C>T", "p.(Gln300Ter)", "stop_gained", "Benign",
     "false", "false", "BA1;PVS1", "0", "0.08", "true"),
    ("74770879", "N", "<DEL>", "g.74770880_74772830del", "c.3404-1000_3536+799del", "p.?", "exon_loss_variant",
     "Pathogenic", "true", "false", "PVS1;PM2_Supporting;PM4", "11", "", "true"),
]  # fmt: skip
COLUMNS = ["chrom", "pos", "ref", "alt", "hgvs_g", "hgvs_c", "hgvs_p", "consequence", "classification", "qualifying",
           "candidate_vus", "evidence", "acmg_points", "population_af", "lof", "transcript_accession", "exon", "sv_end"]
INTERNAL_WORDS = ["read_backed", "read-backed", "phase set", "point(s)", " points", "chr9:", "PM3", "PVS1",
                  "(1/1)", "(0/1)", "0|1", "<DEL>", *[v.value for v in Verdict],
                  *[e.value for e in (*Zygosity, *Phase, *PhaseSource) if "_" in e.value]]  # fmt: skip


def make_verdict(tmp_path: Path, records: list[str], samples=("P1",), **parents):
    """The proband P1's verdict document, made by the inheritance stage."""
    vcf = tmp_path / "batch.vcf"
    columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples)
    vcf.write_text(VCF_HEADER + SV_HEADER + columns + "\n" + "\n".join("\t".join(r.split()) for r in records) + "\n")
    rows = [dict(zip(COLUMNS, ("chr9", *row, "NM_017662.5", "25" if row[2] == "<DEL>" else "4",
                               "74772830" if row[2] == "<DEL>" else ""), strict=True)) for row in ROWS]  # fmt: skip
    table = write_table(tmp_path / "batch.variants.tsv", COLUMNS, rows) or tmp_path / "batch.variants.tsv"
    out = tmp_path / "verdict.json"
    sample = Sample("P1", str(vcf), paternal_id=parents.get("father", ""), maternal_id=parents.get("mother", ""))
    call_biallelic_status(sample=sample, family_batches=dict.fromkeys(samples, "batch"), locus_vcfs=[vcf],
                          variant_tables=[table], genotype_qc=QC, model=MODEL, out=out)  # fmt: skip
    return read_verdict(out)


def report_of(verdict_doc, sample=None, build="GRCh38", settings=None, resources=None):
    sample = sample or Sample("P1", "p1.vcf", affected=True, lab_values=LabValues())
    document = build_document(
        verdict_doc, sample, resources or {"inputs": [], "reference_header": "chr9"}, [], build=build,
        config_sha256="c" * 64, annotator="builtin", report_settings=settings or {"laboratory": "Lab"},
    )  # fmt: skip
    validate_document(document, SCHEMA)
    return document


def html_of(document) -> str:
    variants = document["variants"]
    return render_html(document, gene_diagram(load_mane_transcript(MODEL), variants, document["not_assessed"]))


def verdict_box_text(html: str) -> str:
    box = html[html.index('<section class="verdict'):]
    return html_module.unescape(re.sub(r"<[^>]+>", " ", box[: box.index("</section>")]))


SC = "GT:DP:GQ:AD:PS"
CASES = {  # verdict: (records, samples, parents)
    "HOMOZYGOUS": ([f"{STOP} . PASS . {FMT} {HOM}"], ("P1",), {}),
    "COMPOUND_HET_TRANS": ([f"{FRAMESHIFT} . PASS . {SC} 0|1:30:99:15,15:500",
                            f"{STOP} . PASS . {SC} 1|0:30:99:15,15:500"], ("P1",), {}),
    "COMPOUND_HET_PHASE_UNKNOWN": ([f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"], ("P1",), {}),
    "CIS_NOT_BIALLELIC": ([f"{FRAMESHIFT} . PASS . {SC} 0|1:30:99:15,15:500",
                           f"{STOP} . PASS . {SC} 0|1:30:99:15,15:500"], ("P1",), {}),
    "QUALIFYING_PLUS_VUS": ([f"{MISSENSE} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"], ("P1",), {}),
    "CARRIER": ([f"{STOP} . PASS . {FMT} {HET}"], ("P1",), {}),
    "POSSIBLE_HEMIZYGOUS": ([f"{STOP} . PASS . {FMT} {HOM} {REF}"], ("P1", "F1"), {"father": "F1"}),
    "BIALLELIC_VUS": ([f"{MISSENSE} . PASS . {FMT} {HOM}"], ("P1",), {}),
    "NEGATIVE": ([f"{SYNONYMOUS} . PASS . {FMT} {HET}"], ("P1",), {}),
    "NOT_ASSESSABLE": ([f"{STOP} . PASS . {FMT} ./.:.:.:."], ("P1",), {}),
}  # fmt: skip


def test_the_cases_cover_every_verdict():
    assert set(CASES) == {v.value for v in Verdict}


@pytest.mark.parametrize("verdict", sorted(CASES))
def test_verdict_box_speaks_without_internal_words(tmp_path, verdict):
    records, samples, parents = CASES[verdict]
    document = report_of(make_verdict(tmp_path, records, samples, **parents))
    assert document["verdict"] == verdict
    assert document["verdict_evidence"], "the machine evidence stays in the JSON"
    box = verdict_box_text(html_of(document))
    for line in document["verdict_summary"]:
        assert line in box
    for word in INTERNAL_WORDS:
        assert word not in " ".join(document["verdict_summary"]), word
        assert word not in box, word


def test_not_assessable_never_says_no_variant_was_found(tmp_path):
    summary = report_of(make_verdict(tmp_path, *CASES["NOT_ASSESSABLE"][:2]))["verdict_summary"]
    assert summary[0] == wording.SUMMARY_NOT_ASSESSABLE
    assert wording.SUMMARY_NO_VARIANT not in summary


def test_negative_says_what_was_not_found_and_what_was_not_covered(tmp_path):
    summary = report_of(make_verdict(tmp_path, *CASES["NEGATIVE"][:2]))["verdict_summary"]
    assert summary == [wording.SUMMARY_NO_VARIANT, wording.SUMMARY_NOT_ASSESSED.format(count=39)]


def test_possible_hemizygous_is_called_apparently_homozygous(tmp_path):
    records, samples, parents = CASES["POSSIBLE_HEMIZYGOUS"]
    summary = report_of(make_verdict(tmp_path, records, samples, **parents))["verdict_summary"]
    assert summary[0] == f"NM_017662.5:c.298C>T p.(Gln100Ter), {wording.ZYGOSITY_APPARENT}, Likely pathogenic"


def test_verdict_box_names_variants_in_hgvs_with_zygosity_and_class(tmp_path):
    document = report_of(make_verdict(tmp_path, *CASES["HOMOZYGOUS"][:2]))
    # Likely pathogenic in the table, raised to Pathogenic by the homozygous occurrence (PM3) in this sample
    assert document["verdict_summary"][0] == "NM_017662.5:c.298C>T p.(Gln100Ter), homozygous, Pathogenic"


def test_read_backed_trans_is_said_in_words(tmp_path):
    document = report_of(make_verdict(tmp_path, *CASES["COMPOUND_HET_TRANS"][:2]))
    assert any("read_backed" in line for line in document["verdict_evidence"])
    assert document["verdict_summary"][:2] == [
        "NM_017662.5:c.1000del p.(Ser334AlafsTer5), heterozygous, Pathogenic; on the other copy of the gene "
        "than the other variant (in trans), shown by sequencing reads",
        "NM_017662.5:c.298C>T p.(Gln100Ter), heterozygous, Pathogenic; on the other copy of the gene than "
        "the other variant (in trans), shown by sequencing reads",
    ]
    html = html_of(document)
    details = html[html.index('id="technical-evidence"'):]
    assert "read_backed" in details[: details.index("</details>")]


@pytest.mark.parametrize(("build", "accession"), [("GRCh38", "NC_000009.12"), ("GRCh37", "NC_000009.11")])
def test_genomic_names_are_hgvs_on_the_builds_refseq_accession(tmp_path, build, accession):
    document = report_of(make_verdict(tmp_path, *CASES["CARRIER"][:2]), build=build)
    assert document["variants"][0]["hgvs_genomic"] == f"{accession}:g.74842100C>T"


def test_imprecise_deletion_is_named_with_uncertain_breakpoints(tmp_path):
    verdict_doc = make_verdict(tmp_path, [f"{SV} {FMT} 0/1:30:99:15,15", f"{STOP} . PASS . {FMT} {HET}"])
    document = report_of(verdict_doc)
    sv = next(v for v in document["variants"] if v["alt"] == "<DEL>")
    assert sv["hgvs_genomic"] == "NC_000009.12:g.(74770880_74770930)_(74772800_74772860)del"
    assert sv["name"].startswith("NC_000009.12:g.(74770880_74770930)_(74772800_74772860)del (")
    assert "breakpoints approximate" in sv["name"] and "exon(s) 25" in sv["name"]
    assert " is an exon loss variant in exon 25" in sv["narrative"]
    assert "c.3404-1000_3536+799del" not in " ".join(document["verdict_summary"])
    assert any(line.startswith(sv["name"]) for line in document["verdict_summary"])


def test_precise_deletion_keeps_its_exact_c_name(tmp_path):
    precise = "chr9 74770879 . N <DEL> . PASS SVTYPE=DEL;END=74772830"
    document = report_of(make_verdict(tmp_path, [f"{precise} {FMT} 0/1:30:99:15,15"]))
    assert document["variants"][0]["hgvs_genomic"] == "NC_000009.12:g.74770880_74772830del"
    assert document["variants"][0]["name"] == "NM_017662.5:c.3404-1000_3536+799del p.?"


def test_pm3_that_did_not_count_wears_no_badge_and_counted_pm3_does(tmp_path):
    verdict_doc = make_verdict(tmp_path, *CASES["HOMOZYGOUS"][:2])
    [entry] = verdict_doc.variants
    assert verdict_doc.pm3 and [item.code for item in entry.sample_evidence] == ["PM3"]
    counted = report_of(verdict_doc)["variants"][0]
    assert [code for code in counted["badges"] if code.startswith("PM3")] == [entry.sample_evidence[0].label]
    # the same in-trans evidence, but the class made without it (e.g. the phenotype did not fit): no PM3 badge
    without = replace(verdict_doc, variants=(replace(entry, sample_evidence=()),))
    uncounted = report_of(without)["variants"][0]
    assert not any(code.startswith("PM3") for code in uncounted["badges"] + uncounted["evidence"])
    assert next(row for row in uncounted["criteria"] if row["code"] == "PM3")["status"] == "not_met"
    html = html_of(report_of(without))
    row = html[html.index('<tr class="variant'):]
    assert "PM3" not in row[: row.index("</tr>")]


def test_counted_sample_evidence_is_a_badge_with_its_points(tmp_path):
    verdict_doc = make_verdict(tmp_path, *CASES["COMPOUND_HET_TRANS"][:2])
    labelled = [e for e in verdict_doc.variants if e.sample_evidence]
    document = report_of(verdict_doc)
    for entry in labelled:
        shown = next(v for v in document["variants"] if v["pos"] == entry.key.pos)
        for item in entry.sample_evidence:
            assert item.label in shown["badges"]
            assert f"{item.label} ({item.points:+d})" in shown["narrative"]


def test_benign_truncating_variant_wears_no_lof_badge(tmp_path):
    records = [f"{COMMON_STOP} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"]
    document = report_of(make_verdict(tmp_path, records))
    common = next(v for v in document["variants"] if v["pos"] == 74830000)
    qualifying = next(v for v in document["variants"] if v["pos"] == 74842100)
    assert common["lof"] is True and common["lof_badge"] is False
    assert common["badges"] == ["BA1"], "BA1 stands alone: PVS1 did not count"
    assert "benign on its own" in common["narrative"]
    assert common["lof_note"] == wording.LOF_NOT_COUNTED.format(classification="Benign")
    assert qualifying["lof_badge"] is True and "PVS1" in qualifying["badges"]
    html = html_of(document)
    row = html[html.index('data-hgvs-c="c.900C&gt;T"'):]
    row = row[: row.index("</tr>")]
    assert "high confidence" not in row and "VeryStrong" not in row and "not qualifying" in row


def test_each_variant_has_a_narrative_and_criteria_met_not_met_not_evaluable(tmp_path):
    document = report_of(make_verdict(tmp_path, *CASES["QUALIFYING_PLUS_VUS"][:2]))
    stop = next(v for v in document["variants"] if v["pos"] == 74842100)
    assert stop["narrative"] == (
        "NM_017662.5:c.298C>T p.(Gln100Ter) is a stop gained variant in exon 4, found heterozygous in this sample. "
        "It is classed Likely pathogenic with 9 point(s) from PVS1 (+8), PM2_Supporting (+1)."
    )
    status = {row["code"]: row["status"] for row in stop["criteria"]}
    assert status["PVS1"] == "met" and status["PM4"] == "not_met" and status["BS1"] == "not_met"
    assert status["PP4"] == "not_evaluable", "no lab values given"
    vus = next(v for v in document["variants"] if v["pos"] == 74800300)
    vus_status = {row["code"]: row["status"] for row in vus["criteria"]}
    assert vus_status["BS1"] == vus_status["BA1"] == "not_evaluable", "no population frequency"
    html = html_of(document)
    section = html_module.unescape(html[html.index('id="variant-interpretation"'):])
    assert "not evaluable" in section and stop["narrative"] in section
    assert wording.CRITERIA_NOT_USED in section


def test_code_points_follow_the_point_system():
    assert [code_points(c) for c in ("PVS1", "PVS1_Strong", "PM2_Supporting", "PM4", "PM3_Moderate", "BS1",
                                     "BP7", "PP4_Supporting", "BA1")] == [8, 4, 1, 2, 2, -4, -1, 1, None]  # fmt: skip


def test_references_name_the_papers_and_each_data_release(tmp_path):
    resources = {"inputs": [{"role": "clinvar_vcf", "path": "/data/clinvar_20240101.vcf.gz", "sha256": "a" * 64}],
                 "reference_header": "chr9", "source_versions": {"clinvar_source": "ClinVar 2024-01-01"}}  # fmt: skip
    document = report_of(make_verdict(tmp_path, *CASES["CARRIER"][:2]), resources=resources)
    text = "\n".join(document["references"])
    for needle in ("Richards S", "2015", "Tavtigian SV", "2018", "2020", "Abou Tayoun", "PM3", "Schlingmann KP",
                   "Walder RY", "ClinVar 2024-01-01", "clinvar_20240101.vcf.gz", "gnomAD: not used"):  # fmt: skip
        assert needle in text, needle
    html = html_of(document)
    assert 'id="references"' in html and "Walder RY" in html[html.index('id="references"'):]


HEADER = {"patient_name": "Ana <b>Perez</b>", "date_of_birth": "2024-02-03", "mrn": "MRN-77", "specimen": "blood EDTA",
          "collected": "2025-01-02", "ordering_clinician": "Dr K", "indication": "seizures, Mg 0.2", "accession": "A-1"}


def test_header_fields_are_shown_escaped_when_given(tmp_path):
    sample = Sample("P1", "p1.vcf", **HEADER)
    settings = {"laboratory": "Lab", "test_method": "Exome sequencing", "laboratory_accreditation": "CAP 123"}
    document = report_of(make_verdict(tmp_path, *CASES["CARRIER"][:2]), sample=sample, settings=settings)
    html = html_of(document)
    header = html[: html.index("</header>")]
    for key in [*HEADER, "test_method", "laboratory_accreditation"]:
        assert f'id="header-{key.replace("_", "-")}"' in header, key
    assert [field["value"] for field in document["header_fields"]][-2:] == ["Exome sequencing", "CAP 123"]
    assert "Ana &lt;b&gt;Perez&lt;/b&gt;" in header and "<b>Perez" not in html
    assert 'id="referral"' not in header, "the sheet's indication replaces the config's default referral reason"


def test_absent_header_fields_are_left_out_never_not_set(tmp_path):
    document = report_of(make_verdict(tmp_path, *CASES["CARRIER"][:2]))
    assert document["header_fields"] == []
    header = html_of(document)[: html_of(document).index("</header>")]
    assert "not set" not in header and 'id="header-mrn"' not in header and "Report date" not in header


# ----------------------------------------------------------------------------- colour


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    text = hex_colour.lstrip("#")
    text = "".join(c * 2 for c in text) if len(text) == 3 else text
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(hex_colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_variables() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", CSS.read_text()))


def _hue(hex_colour: str) -> float:
    r, g, b = _rgb(hex_colour)
    high, low = max(r, g, b), min(r, g, b)
    if high == low:
        return -1.0
    if high == g:
        return 60 * ((b - r) / (high - low) + 2)
    if high == r:
        return (60 * ((g - b) / (high - low))) % 360
    return 60 * ((r - g) / (high - low) + 4)


def test_contrast_of_every_text_colour_on_its_background_is_at_least_4_5():
    colours = css_variables()
    pairs = [("ink", "#ffffff"), ("muted", "#ffffff"), ("muted", "#f4f6f8"), ("ink", "#f4f6f8"),
             ("ink", colours["pos-bg"]), ("ink", colours["att-bg"]), ("ink", colours["neu-bg"]),
             ("muted", colours["pos-bg"]), ("muted", colours["att-bg"]), ("muted", colours["neu-bg"]),
             ("warn", "#ffffff"), ("warn", "#fdecec"), ("pos", "#ffffff"), ("att", "#ffffff")]  # fmt: skip
    for foreground, background in pairs:
        colour = colours.get(foreground, foreground)
        assert contrast(colour, background) >= 4.5, (foreground, background, round(contrast(colour, background), 2))


def test_contrast_computation_can_fail():
    assert contrast("#777777", "#ffffff") < 4.5 < contrast("#000000", "#ffffff")


def test_positive_findings_are_never_green():
    colours = css_variables()
    for name in ("pos", "pos-bg"):
        assert not 75 <= _hue(colours[name]) <= 165, (name, colours[name])
    template = (REPO / "src" / "trpm6_hsh" / "templates" / "report.html").read_text()
    for colour in re.findall(r"#[0-9a-fA-F]{6}", template):
        r, g, b = _rgb(colour)
        assert not (g > r + 0.1 and g > b + 0.1), f"green in the report template: {colour}"


def test_positive_verdict_box_says_positive_in_words_not_colour_alone(tmp_path):
    document = report_of(make_verdict(tmp_path, *CASES["HOMOZYGOUS"][:2]))
    assert document["result_headline"].startswith("Positive")
    html = html_of(document)
    assert "qualifying variant (square)" in html, "the diagram tells qualifying variants by shape, not colour alone"


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


def test_new_sections_have_unique_ids(tmp_path):
    parser = _Ids()
    parser.feed(html_of(report_of(make_verdict(tmp_path, *CASES["CARRIER"][:2]))))
    assert len(parser.ids) == len(set(parser.ids))
    for needed in ("verdict-summary", "variant-interpretation", "family-context", "references", "technical-evidence"):
        assert needed in parser.ids
