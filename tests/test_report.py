"""Report stage: schema-valid JSON, determinism, escaping of every input-derived string."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from conftest import REPO

from trpm6_hsh.model import Verdict
from trpm6_hsh.report import (
    build_document,
    interpret_lab_values,
    recommendations_for,
    summarise,
    validate_document,
    write_report,
)

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
        "pm3": [{"variant": "chr9:74842100C>T", "points": 1.0, "code": "PM3", "basis": text}],
        "genotype_qc": {"min_dp": 10, "min_gq": 20},
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
                "phase": "trans",
                "phase_source": "parental",
                "classification": "Likely pathogenic",
                "qualifying": "true",
                "lof": "true",
                "lof_confidence": "HC",
                "pvs1_strength": "VeryStrong",
                "evidence": "PVS1;PM2_Supporting",
                "population_af": "",
                "qc_pass": True,
                "qc_failures": [],
                "depth": 30,
                "genotype_quality": 99,
                "allele_balance": 0.5,
                "parental_genotypes": {},
            }
        ],
    }


SAMPLE = {
    "sample_id": "S1",
    "family_id": "F1",
    "sex": "female",
    "affected": True,
    "lab_values": {"serum_mg_mmol_l": 0.3, "serum_ca_mmol_l": 1.8, "pth_pg_ml": 30.0},
}
RESOURCES = {
    "inputs": [{"role": "reference_fasta", "path": "/ref.fa", "sha256": "a" * 64}],
    "reference_header": "chr9 SYNTHETIC_TRPM6_LOCUS",
    "synthetic_reference": True,
}


def document(text="plain", sample=SAMPLE, settings=None):
    return build_document(
        verdict_doc(text),
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
    assert variant["lof"] is True and variant["evidence"] == ["PVS1", "PM2_Supporting", "PM3"]
    assert doc["report_date"] is None
    assert doc["synthetic_reference"] is True
    assert {item["role"] for item in doc["provenance"]["inputs"]} == {"reference_fasta", "vcf"}


def test_document_is_deterministic():
    assert json.dumps(document(), sort_keys=True) == json.dumps(document(), sort_keys=True)


def test_lab_values_interpreted_for_hsh():
    readings = {item["key"]: item for item in interpret_lab_values(SAMPLE["lab_values"])}
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
    verdict.write_text(json.dumps(verdict_doc(HOSTILE)))
    resources = tmp_path / "resources.json"
    resources.write_text(json.dumps(RESOURCES))
    out = {name: tmp_path / f"S1.report.{name}" for name in ("html", "json", "tsv")}
    sample = dict(SAMPLE, family_id=HOSTILE)
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
    verdict = tmp_path / "verdict.json"
    verdict.write_text(json.dumps(verdict_doc()))
    resources = tmp_path / "resources.json"
    resources.write_text(json.dumps(RESOURCES))
    paths = {name: tmp_path / f"S1.report.{name}" for name in ("html", "json", "tsv")}
    write_report(
        verdict, resources, [], MODEL, SCHEMA, SAMPLE, build="GRCh38", config_sha256="c" * 64,
        annotator="builtin", report_settings={}, out_html=paths["html"], out_json=paths["json"], out_tsv=paths["tsv"],
    )  # fmt: skip
    html = paths["html"].read_text()
    assert len(re.findall(r"<rect class=\"exon\"", html)) == 39
    assert "c.298C&gt;Tplain" in html
    summarise([paths["json"]], tmp_path / "summary.tsv", tmp_path / "summary.html")
    assert "S1" in (tmp_path / "summary.tsv").read_text()
    assert "../reports/S1.report.html" in (tmp_path / "summary.html").read_text()
