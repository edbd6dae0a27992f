"""Report stage: schema-valid JSON, determinism, escaping of every input-derived string."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, replace
from html.parser import HTMLParser

import pytest
from conftest import REPO
from markupsafe import escape

from trpm6_hsh import __version__
from trpm6_hsh.config import LabValues, Sample, load_samples, sample_rows_digest
from trpm6_hsh.errors import ConfigError, InputError, Trpm6Error
from trpm6_hsh.external_annotators.normalise import COLUMNS as CONSEQUENCE_COLUMNS
from trpm6_hsh.external_annotators.normalise import normalise_annotation
from trpm6_hsh.inheritance import VerdictDocument
from trpm6_hsh.model import Verdict
from trpm6_hsh.report import (
    ANNOTATOR_VERSION_NOT_STATED,
    annotator_run,
    build_document,
    clinical_correlation,
    group_not_assessed,
    interpret_lab_values,
    recommendations_for,
    render_html,
    render_pdf,
    summarise,
    validate_document,
    write_report,
)
from trpm6_hsh.report.diagram import gene_diagram
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import write_table

SCHEMA = REPO / "workflow" / "schemas" / "report.schema.json"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
HOSTILE = "<script>alert('x')</script>\"'&../../etc ñ"


def verdict_doc(text: str = "plain") -> dict:
    return {
        "sample_id": "S1",
        "verdict": "COMPOUND_HET_TRANS",
        "verdict_text": f"Two variants {text}",
        "evidence": [f"evidence {text}"],
        "pairs": [],
        "pm3": [
            {
                "variant": "chr9:74842100C>T",
                "points": 1.0,
                "code": "PM3",
                "configuration": "in_trans_with_pathogenic",
                "basis": text,
            }
        ],
        "genotype_qc": {"min_dp": 10, "min_gq": 20},
        "callability": {"sources": ["none (plain VCF)"], "settings": {}, "regions": 39, "regions_assessed": 38},
        "de_novo": [],
        "mendelian_inconsistencies": [],
        "locus_records": 1,
        "locus_no_calls": 0,
        "not_assessed": [{"region": f"exon 3 {text}", "status": "unknown", "reason": text, "exon": 3}],
        "variants": [
            {
                "chrom": "chr9",
                "pos": 74842100,
                "ref": "C",
                "alt": "T",
                "transcript": "ENST00000360774",
                "transcript_accession": "NM_017662.5",
                "hgvs_c": f"c.298C>T{text}",
                "hgvs_p": "p.(Gln100Ter)",
                "consequence": f"stop_gained{text}",
                "zygosity": "heterozygous",
                "genotype": "0/1",
                "phase_set": None,
                "filter": "PASS",
                "phase": "trans",
                "phase_source": "parental",
                "transmission": "inherited",
                "transmission_detail": "",
                "classification": "Likely pathogenic",
                "qualifying": "true",
                "lof": "true",
                "lof_confidence": "HC",
                "pvs1_strength": "VeryStrong",
                "evidence": "PVS1;PM2_Supporting",
                "population_af": "",
                "qc_pass": True,
                "qc_status": "pass",
                "qc_failures": [],
                "qc_notes": [],
                "depth": 30,
                "genotype_quality": 99,
                "allele_balance": 0.5,
                "parental_genotypes": {},
            }
        ],
    }


SAMPLE = Sample(
    "S1",
    "s1.vcf.gz",
    family_id="F1",
    sex="female",
    affected=True,
    lab_values=LabValues(serum_mg_mmol_l=0.3, serum_ca_mmol_l=1.8, pth_pg_ml=30.0),
)
RESOURCES = {
    "inputs": [{"role": "reference_fasta", "path": "/ref.fa", "sha256": "a" * 64}],
    "reference_header": "chr9 SYNTHETIC_TRPM6_LOCUS",
    "synthetic_reference": True,
}


def typed_verdict(document: dict) -> VerdictDocument:
    return VerdictDocument.from_json(document)


def document(text="plain", sample=SAMPLE, settings=None):
    return build_document(
        typed_verdict(verdict_doc(text)),
        sample,
        RESOURCES,
        [{"inputs": [{"role": "vcf", "path": "/x.vcf.gz", "sha256": "b" * 64}]}],
        build="GRCh38",
        config_sha256="c" * 64,
        annotator="builtin",
        report_settings=settings or {"laboratory": "Lab", "report_date": "", "referral_reason": "HSH?"},
    )


def test_document_validates_and_carries_contract_fields():
    doc = document()
    validate_document(doc, SCHEMA)
    variant = doc["variants"][0]
    assert variant["transcript"] == "NM_017662.5"
    # PM3 was not counted for this variant's class (no sample_evidence), so it is no evidence code or badge of it
    assert variant["lof"] is True and variant["evidence"] == ["PVS1", "PM2_Supporting"]
    assert doc["report_date"] is None
    assert doc["synthetic_reference"] is True
    assert {item["role"] for item in doc["provenance"]["inputs"]} == {"reference_fasta", "vcf"}


def test_document_is_deterministic():
    assert json.dumps(document(), sort_keys=True) == json.dumps(document(), sort_keys=True)


def test_lab_values_interpreted_for_hsh():
    readings = {item["key"]: item for item in interpret_lab_values(asdict(SAMPLE.lab_values))}
    assert "hypomagnesemia" in readings["serum_mg_mmol_l"]["interpretation"]
    assert readings["serum_ca_mmol_l"]["interpretation"] == "hypocalcemia"
    assert "inappropriately low or normal" in readings["pth_pg_ml"]["interpretation"]


def test_recommendations_mention_recurrence_and_parental_testing():
    assert any("25%" in line for line in recommendations_for(Verdict.COMPOUND_HET_TRANS))
    assert any("parents" in line for line in recommendations_for(Verdict.COMPOUND_HET_PHASE_UNKNOWN))
    assert any("magnesium" in line for line in recommendations_for(Verdict.HOMOZYGOUS))


class _ActiveContent(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img", "link"):
            self.found.append(tag)
        self.found += [name for name, _ in attrs if name.startswith("on")]
        self.found += [f"{name}={value}" for name, value in attrs if value and "javascript:" in value]


def test_hostile_strings_are_escaped_in_html(tmp_path):
    verdict = tmp_path / "verdict.json"
    typed_verdict(verdict_doc(HOSTILE)).write(verdict)
    resources = tmp_path / "resources.json"
    resources.write_text(json.dumps(RESOURCES))
    out = {name: tmp_path / f"S1.report.{name}" for name in ("html", "json", "tsv")}
    sample = replace(SAMPLE, family_id=HOSTILE)
    write_report(
        verdict,
        resources,
        [],
        MODEL,
        SCHEMA,
        sample,
        build="GRCh38",
        config_sha256="c" * 64,
        annotator="builtin",
        report_settings={"laboratory": HOSTILE, "report_date": "", "referral_reason": HOSTILE},
        out_html=out["html"],
        out_json=out["json"],
        out_tsv=out["tsv"],
    )
    html = out["html"].read_text()
    parser = _ActiveContent()
    parser.feed(html)
    assert parser.found == []
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "ñ" in html
    assert json.loads(out["json"].read_text())["sample"]["family_id"] == HOSTILE
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["verdict.json", "resources.json", "S1.report.html", "S1.report.json", "S1.report.tsv"]
    )


def test_gene_diagram_has_39_exons_and_the_variant(tmp_path):
    paths = _write(tmp_path, settings={})
    html = paths["html"].read_text()
    assert len(re.findall(r"<rect class=\"exon\"", html)) == 39
    assert "c.298C&gt;Tplain" in html
    summarise([paths["json"]], tmp_path / "summary.tsv", tmp_path / "summary.html")
    assert "S1" in (tmp_path / "summary.tsv").read_text()
    assert "../reports/S1.report.html" in (tmp_path / "summary.html").read_text()


# ----------------------------------------------------------------------------- content a counselor reads


def _write(tmp_path, verdict=None, sample=SAMPLE, settings=None, pdf=False, annotator="builtin", consequences=None,
           sample_sheet=None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    if settings is None:
        settings = {"laboratory": "Lab", "report_date": "2026-01-02"}
    verdict_path = tmp_path / "verdict.json"
    typed_verdict(verdict or verdict_doc()).write(verdict_path)
    resources = tmp_path / "resources.json"
    resources.write_text(json.dumps(RESOURCES))
    out = {name: tmp_path / "results" / "reports" / f"S1.report.{name}" for name in ("html", "json", "tsv", "pdf")}
    write_report(
        verdict_path, resources, [], MODEL, SCHEMA, sample, build="GRCh38", config_sha256="c" * 64,
        annotator=annotator, report_settings=settings,
        out_html=out["html"], out_json=out["json"], out_tsv=out["tsv"], out_pdf=out["pdf"] if pdf else None,
        consequences=consequences, sample_sheet=sample_sheet,
    )  # fmt: skip
    return out


def test_sections_come_in_the_order_a_counselor_reads_them(tmp_path):
    html = _write(tmp_path)["html"].read_text()
    # the sign-off closes the report; the reviewer's evidence follows it as an appendix
    landmarks = [
        'id="status"', 'id="sample-id"', 'id="header-labs"', 'id="verdict"', 'id="variants"', "<h2>Gene diagram",
        "<h2>Interpretation", "<h2>Clinical correlation", 'id="recommendations"', "<h2>Limitations",
        'id="sign-off"', 'id="appendices"', "<h2>Methods and provenance",
    ]  # fmt: skip
    positions = [html.index(mark) for mark in landmarks]
    assert positions == sorted(positions)
    assert "Positive: biallelic TRPM6 variants" in html
    assert "2026-01-02" in html and ">DRAFT<" in html
    assert "Serum magnesium 0.3 mmol/L (low)" in html  # lab values in the header


def test_variant_table_shows_every_required_field(tmp_path):
    html = _write(tmp_path)["html"].read_text()
    row = html[html.index('<tr class="variant'):]
    row = row[: row.index("</tr>")]
    for expected in ("chr9:<wbr>74842100", "c.298C&gt;Tplain", "p.(Gln100Ter)", "stop gained", "heterozygous",
                     "trans", "parental genotypes", "30 / 99 / 0.5", "unknown", "Likely pathogenic", "PVS1",
                     "high confidence", "VeryStrong"):  # fmt: skip
        assert expected in row, expected
    assert "PM3" not in row  # not counted for this variant's class: no badge (it is in the in-trans section)


def test_in_trans_evidence_says_it_is_not_in_the_class_or_the_verdict(tmp_path):
    html = _write(tmp_path)["html"].read_text()
    evidence = html[html.index("ClinGen SVI PM3 points"):]
    assert evidence.index("chr9:74842100C&gt;T") < evidence.index('id="pm3-scope"')
    assert "made without it" in evidence[: evidence.index("</p>", evidence.index('id="pm3-scope"'))]
    without = verdict_doc()
    without["pm3"] = []
    assert 'id="pm3-scope"' not in _write(tmp_path / "without", verdict=without)["html"].read_text()


def test_clinical_correlation_names_the_hsh_picture_and_what_is_missing():
    labs = {"serum_mg_mmol_l": 0.2, "serum_ca_mmol_l": 1.7, "pth_pg_ml": 20}
    typical = clinical_correlation(interpret_lab_values(labs))
    assert "typical of HSH" in typical and "inappropriately low or normal PTH" in typical
    assert "severe hypomagnesemia" in typical
    raised_pth = clinical_correlation(
        interpret_lab_values({"serum_mg_mmol_l": 0.6, "serum_ca_mmol_l": 1.9, "pth_pg_ml": 120})
    )
    assert "not specific" in raised_pth
    assert "does not fit untreated HSH" in clinical_correlation(interpret_lab_values({"serum_mg_mmol_l": 0.9}))
    assert "No laboratory values" in clinical_correlation([])
    no_pth = clinical_correlation(interpret_lab_values({"serum_mg_mmol_l": 0.3, "serum_ca_mmol_l": 1.8}))
    assert "PTH not given" in no_pth


def test_thresholds_and_their_sources_are_in_the_json(tmp_path):
    report = json.loads(_write(tmp_path)["json"].read_text())
    names = {item["name"] for item in report["lab_thresholds"]}
    assert {"Serum magnesium", "Serum total calcium", "Intact PTH", "Severe hypomagnesemia"} <= names
    assert all(item["source"] for item in report["lab_thresholds"])
    assert report["clinical_correlation"].startswith("The laboratory picture")


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_has_a_headline_and_recommendations(verdict):
    assert recommendations_for(verdict)
    doc = verdict_doc()
    doc["verdict"] = verdict.value
    built = build_document(typed_verdict(doc), SAMPLE, RESOURCES, [], build="GRCh38", config_sha256="c" * 64,
                           annotator="builtin", report_settings={})  # fmt: skip
    assert built["result_headline"] and built["what_it_means"]
    validate_document(built, SCHEMA)


def test_recommendations_cover_parents_cascade_recurrence_and_management():
    unknown = " ".join(recommendations_for(Verdict.COMPOUND_HET_PHASE_UNKNOWN))
    assert "Test both parents" in unknown and "25%" in unknown and "if the variants are confirmed in trans" in unknown
    for verdict in (Verdict.HOMOZYGOUS, Verdict.COMPOUND_HET_TRANS):
        text = " ".join(recommendations_for(verdict))
        assert "25%" in text and "magnesium repletion" in text and "calcium and vitamin D alone" in text
        assert "For the clinician" in text
    assert "does not exclude HSH" in " ".join(recommendations_for(Verdict.NEGATIVE))


def test_regions_not_assessed_are_grouped_by_reason():
    items = [{"region": f"exon {n}", "status": "unknown", "reason": "plain VCF", "exon": n} for n in range(1, 40)]
    items[4] = {"region": "exon 5", "status": "below_threshold", "reason": "DP 3 < 10", "exon": 5}
    groups = group_not_assessed(items)
    assert [(g["where"].split(" (")[0], g["count"]) for g in groups] == [("exons 1-4, 6-39", 38), ("exon 5", 1)]


def test_report_transcript_is_the_mane_select_else_the_first_coding_one(tmp_path):
    def model(*transcripts: tuple[str, str, bool]) -> str:
        lines = ["##gff-version 3", "chr9\tt\tgene\t100\t900\t.\t+\t.\tID=g;Name=TRPM6"]
        for identifier, start, coding in transcripts:
            end = int(start) + 99
            lines.append(f"chr9\tt\tmRNA\t{start}\t{end}\t.\t+\t.\tID={identifier};Parent=g"
                         + (";tag=MANE_Select" if identifier.startswith("mane") else ""))  # fmt: skip
            lines.append(f"chr9\tt\texon\t{start}\t{end}\t.\t+\t.\tParent={identifier}")
            if coding:
                lines.append(f"chr9\tt\tCDS\t{start}\t{end}\t.\t+\t0\tParent={identifier}")
        return "\n".join(lines) + "\n"

    path = tmp_path / "model.gff3"
    path.write_text(model(("other", "100", True), ("mane", "300", True), ("noncoding", "500", False)))
    assert load_mane_transcript(path).transcript_id == "mane"
    path.write_text(model(("noncoding", "100", False), ("second", "300", True), ("third", "500", True)))
    assert load_mane_transcript(path).transcript_id == "second"
    path.write_text(model(("noncoding", "100", False)))
    with pytest.raises(InputError, match="no protein-coding transcript"):
        load_mane_transcript(path)


def test_gene_diagram_exons_in_transcript_order_with_shading_and_deletion(tmp_path):
    doc = verdict_doc()
    doc["variants"].append(dict(doc["variants"][0], pos=74770903, ref="A", alt="<DEL>", sv_end="74772835",
                                hgvs_c="c.3404-1000_3536+799del", qualifying="false"))  # fmt: skip
    html = _write(tmp_path, verdict=doc)["html"].read_text()
    exons = re.findall(r'<rect class="exon" x="([0-9.]+)"[^>]*fill="([^"]+)"', html)
    xs = [float(x) for x, _ in exons]
    assert len(exons) == 39 and xs == sorted(xs)
    assert [fill for _, fill in exons].count("url(#not-assessed-hatch)") == 1  # exon 3 of verdict_doc()
    assert "<title>deletion c.3404-1000_3536+799del</title>" in html


def test_provenance_names_versions_and_checksums(tmp_path):
    report = json.loads(_write(tmp_path)["json"].read_text())
    resources = report["provenance"]["resources"]
    assert resources["transcript_model_source"] == "MANE_v1.5"
    assert resources["transcript"] == "ENST00000360774.6"
    assert report["provenance"]["annotator"] == {"name": "builtin", "version": report["provenance"]["pipeline_version"]}
    assert all(len(item["sha256"]) == 64 for item in report["provenance"]["inputs"])


ANNOTATED = REPO / "tests" / "data" / "annotator"  # the fixture locus, as real bcftools csq and SnpEff wrote it


@pytest.mark.parametrize(("annotator", "output", "version"), [
    ("bcftools_csq", "test.bcftools.vcf", "1.24 (pysam)+htslib-1.24"),
    ("snpeff", "test.snpeff.vcf", "5.1d (build 2023-01-20 19:55), by Pablo Cingolani"),
])
def test_provenance_states_the_version_the_annotator_wrote_in_its_header(tmp_path, annotator, output, version):
    table = tmp_path / "batch.consequences.tsv"
    normalise_annotation(annotator, ANNOTATED / output, ANNOTATED / "test.vcf", ANNOTATED / "locus.fa",
                         ANNOTATED / "trpm6.ensembl.gff3", table)
    out = _write(tmp_path, annotator=annotator, consequences=table)
    assert json.loads(out["json"].read_text())["provenance"]["annotator"] == {"name": annotator, "version": version}
    html = out["html"].read_text()
    assert f"the {annotator} annotator (version {version})" in html
    assert "unknown" not in html.split("Annotator</th>", 1)[1].split("</tr>", 1)[0]


def _consequence_table(path, annotator, version, rows=1):
    row = {"chrom": "chr9", "pos": "100", "ref": "C", "alt": "T", "transcript": "ENST00000360774",
           "annotator": annotator, "annotator_version": version}
    write_table(path, CONSEQUENCE_COLUMNS, [row] * rows)
    return path


def test_annotator_version_is_said_to_be_unstated_rather_than_invented(tmp_path):
    custom = _consequence_table(tmp_path / "custom.tsv", "custom", "")
    assert annotator_run("custom", custom).provenance() == {"name": "custom", "version": ANNOTATOR_VERSION_NOT_STATED}
    no_rows = _consequence_table(tmp_path / "empty.tsv", "snpeff", "", rows=0)
    assert annotator_run("snpeff", no_rows).version == ANNOTATOR_VERSION_NOT_STATED
    builtin_no_rows = _consequence_table(tmp_path / "builtin.tsv", "builtin", "", rows=0)
    assert annotator_run("builtin", builtin_no_rows).version == __version__  # the tool is this package
    out = _write(tmp_path / "custom", annotator="custom", consequences=custom)
    assert json.loads(out["json"].read_text())["provenance"]["annotator"]["version"] == "not stated by the tool"
    assert "(version not stated by the tool)" in out["html"].read_text()


def test_a_consequence_table_of_another_annotator_is_refused(tmp_path):
    table = _consequence_table(tmp_path / "batch.consequences.tsv", "snpeff", "5.1d")
    with pytest.raises(InputError, match="snpeff"):
        annotator_run("bcftools_csq", table)


def test_sample_sheet_checksum_is_in_the_provenance(tmp_path):
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample_id\tvcf\nS1\tx.vcf\n")
    out = _write(tmp_path, settings={}, sample_sheet=sheet)
    inputs = json.loads(out["json"].read_text())["provenance"]["inputs"]
    (entry,) = [item for item in inputs if item["role"] == "sample_sheet_rows"]
    assert entry["path"] == str(sheet)
    assert entry["samples"] == ["S1"]
    assert entry["sha256"] == sample_rows_digest([SAMPLE])
    assert entry["sha256"] != hashlib.sha256(sheet.read_bytes()).hexdigest()  # the rows read, not the file
    assert "sample sheet rows" in out["html"].read_text()
    assert "transmission" in out["tsv"].read_text().splitlines()[0]


def test_json_is_byte_identical_and_dateless_without_a_configured_date(tmp_path):
    first = _write(tmp_path / "a", settings={"report_date": ""})["json"].read_bytes()
    second = _write(tmp_path / "b", settings={"report_date": ""})["json"].read_bytes()
    assert first == second
    assert json.loads(first)["report_date"] is None


def test_pdf_renders_and_holds_the_verdict(tmp_path):
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed")
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed")
    pdf = _write(tmp_path, pdf=True)["pdf"]
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    text = " ".join(text.split())
    assert "Positive: biallelic TRPM6 variants, consistent with HSH" in text
    assert "COMPOUND_HET_TRANS" in text and "DRAFT" in text and "Sign-off" in text


def test_pdf_refuses_external_resources(tmp_path):
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed")
    with pytest.raises(Trpm6Error, match="external resources"):
        render_pdf('<p>x</p><img src="http://example.invalid/x.png">', tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# ----------------------------------------------------------------------------- hostile input


def test_hostile_vcf_and_annotation_strings_are_escaped_everywhere(tmp_path):
    doc = verdict_doc(HOSTILE)
    variant = doc["variants"][0]
    variant.update(filter=HOSTILE, annotation_flags=HOSTILE, lof_reason=HOSTILE, hgvs_p=HOSTILE,
                   qc_pass=False, qc_failures=[f"FILTER {HOSTILE}"], population_af_source=HOSTILE)  # fmt: skip
    doc["pairs"] = [{"first": HOSTILE, "second": "x", "phase": "trans", "phase_source": "parental", "detail": HOSTILE}]
    out = _write(tmp_path, verdict=doc, sample=replace(SAMPLE, family_id=HOSTILE, sex=HOSTILE))
    html = out["html"].read_text()
    parser = _ActiveContent()
    parser.feed(html)
    assert parser.found == []
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert html.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") >= 10
    report = json.loads(out["json"].read_text())
    assert report["variants"][0]["filter"] == HOSTILE
    # No stage carries the VCF's ID column into the verdict document yet; the template shows one escaped.
    report["variants"][0]["variant_id"] = HOSTILE
    diagram = gene_diagram(load_mane_transcript(MODEL), report["variants"], report["not_assessed"])
    with_id = render_html(report, diagram)
    assert "<script" not in with_id.lower() and f'<span class="muted">{escape(HOSTILE)}</span>' in with_id
    cohort = tmp_path / "results" / "cohort"
    summarise([out["json"]], cohort / "summary.tsv", cohort / "summary.html")
    summary = (cohort / "summary.html").read_text()
    assert "<script>alert" not in summary
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"verdict.json", "resources.json", "results"}


@pytest.mark.parametrize(
    "sample_id",
    ["<script>alert(1)</script>", "../../etc/passwd", "a/b", "Müller", 'x"y', "x'y", ".hidden", "-x", "a b"],
)
def test_unsafe_sample_ids_are_refused_with_one_clear_line(tmp_path, sample_id):
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(f"sample_id\tvcf\n{sample_id}\tx.vcf\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml", check_files=False)
    message = str(caught.value)
    assert "line 2" in message and "sample_id" in message and "Fix:" in message and "\n" not in message


def test_unsafe_lab_values_are_refused(tmp_path):
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample_id\tvcf\tserum_mg_mmol_l\nS1\tx.vcf\t<b>0.3</b>\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml", check_files=False)


def test_allowed_odd_sample_id_gets_its_report(tmp_path):
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample_id\tvcf\tserum_mg_mmol_l\nA.b-1_x\tx.vcf\t0.25\n", encoding="utf-8")
    (sample,) = load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml", check_files=False)
    assert sample.sample_id == "A.b-1_x" and sample.lab_values.serum_mg_mmol_l == 0.25
    doc = dict(verdict_doc(), sample_id=sample.sample_id)
    out = _write(tmp_path, verdict=doc, sample=sample)
    assert '<dd id="sample-id" class="mono">A.b-1_x</dd>' in out["html"].read_text()


def test_the_compiled_schema_check_agrees_with_jsonschema(tmp_path):
    """Reports are checked by a compiled validator for speed; on valid and broken reports it must agree."""
    import copy

    import jsonschema as reference
    import pytest as _pytest

    from trpm6_hsh.report.document import validate_document

    document = json.loads(_write(tmp_path)["json"].read_text())
    schema = json.loads(SCHEMA.read_text())
    validate_document(document, SCHEMA)
    broken = []
    for key in ("verdict", "sample_id", "provenance", "variants"):
        mutant = copy.deepcopy(document)
        mutant[key] = 12345 if key != "variants" else [{"chrom": 9}]
        broken.append(mutant)
    mutant = copy.deepcopy(document)
    mutant["verdict"] = "PROBABLY_FINE"
    broken.append(mutant)
    for mutant in broken:
        assert list(reference.Draft202012Validator(schema).iter_errors(mutant))
        with _pytest.raises(Trpm6Error, match="does not match"):
            validate_document(mutant, SCHEMA)
