"""A variant caller's own INFO/AF is never read as a population frequency.

Every single-sample VCF from GATK or bcftools carries ``AF`` (1.0 for a homozygous call): read as a
population frequency it would class a rare stop Benign and turn a positive report NEGATIVE.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from trpm6_hsh.classify import read_site_facts
from trpm6_hsh.errors import InputError

DEMO = REPO / "resources" / "demo" / "GRCh38"
CALLER_AF = (
    '##INFO=<ID=AF,Number=A,Type=Float,'
    'Description="Allele Frequency, for each ALT allele, in the same order as listed">'
)
POPULATION_AF = '##INFO=<ID=AF,Number=A,Type=Float,Description="Population allele frequency (gnomAD v4)">'
# V1 of the demo: c.298C>T p.(Gln100Ter), a stop that qualifies when rare or of unknown frequency.
HOMOZYGOUS_STOP = "chr9\t74842198\t.\tG\tA\t900\tPASS\tAC=2;AF=1.00;AN=2\tGT:AD:DP:GQ\t1/1:0,35:35:99"


def gatk_vcf(path: Path, af_header: str = CALLER_AF) -> Path:
    """A GATK-style single-sample VCF on the synthetic locus with a homozygous stop."""
    path.write_text(
        "##fileformat=VCFv4.2\n"
        "##contig=<ID=chr9,length=138394717>\n"
        '##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count in genotypes, for each ALT allele">\n'
        f"{af_header}\n"
        '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles in called genotypes">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">\n'
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype Quality">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tKID1\n"
        f"{HOMOZYGOUS_STOP}\n"
    )
    return path


def test_caller_af_listed_as_population_field_stops_with_the_fix(tmp_path):
    vcf = gatk_vcf(tmp_path / "kid.vcf")
    with pytest.raises(InputError) as raised:
        read_site_facts(vcf, ["gnomAD_AF", "AF"])
    message = str(raised.value)
    assert "kid.vcf" in message
    assert "INFO/AF" in message and "in the same order as listed" in message
    assert "Fix: remove AF from population.info_fields" in message


def test_af_whose_header_says_population_is_read(tmp_path):
    vcf = gatk_vcf(tmp_path / "kid.vcf", POPULATION_AF)
    (facts,) = read_site_facts(vcf, ["gnomAD_AF", "AF"]).values()
    assert facts.population_af == 1.0 and facts.population_af_source == "INFO/AF"


def test_caller_af_not_listed_leaves_frequency_unknown(tmp_path):
    vcf = gatk_vcf(tmp_path / "kid.vcf")
    (facts,) = read_site_facts(vcf, ["gnomAD_AF", "gnomADe_AF"]).values()
    assert facts.population_af is None and facts.population_af_source == ""


def _run(workdir: Path, config: dict) -> subprocess.CompletedProcess:
    (workdir / "my.yaml").write_text(yaml.safe_dump(config))
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir)]
    command += ["--configfile", str(workdir / "my.yaml"), "--cores", "2"]
    return subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=600)


@pytest.mark.workflow
def test_own_config_run_beside_the_demo_config_ignores_the_demo_settings(tmp_path):
    """Run where config/config.yaml (the demo's, which reads INFO/AF) sits, as from inside the repository."""
    (tmp_path / "config").mkdir()
    shutil.copy(REPO / "config" / "config.yaml", tmp_path / "config" / "config.yaml")
    vcf = gatk_vcf(tmp_path / "KID1.vcf")
    (tmp_path / "samples.tsv").write_text(f"sample_id\tvcf\taffected\nKID1\t{vcf}\ttrue\n")
    config = {
        "samples": str(tmp_path / "samples.tsv"),
        "reference": {"fasta": str(DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"), "build": "GRCh38"},
    }
    result = _run(tmp_path, config)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "results" / "reports" / "KID1.report.json").read_text())
    assert report["verdict"] == "HOMOZYGOUS"
    (variant,) = report["variants"]
    assert variant["population_af"] is None

    # The same VCF with AF declared a population field by the lab: the run stops and says why.
    shutil.rmtree(tmp_path / "results")
    result = _run(tmp_path, {**config, "population": {"info_fields": ["AF"]}})
    assert result.returncode != 0
    assert "KID1.vcf" in result.stderr and "remove AF from population.info_fields" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "results" / "reports" / "KID1.report.json").exists()


@pytest.mark.parametrize(
    "name", ["demo01.vcf.gz", "demo04.bcf", "cohort_batch.vcf", "demo13.sv.vcf.gz"], ids=lambda name: name
)
def test_header_fields_read_without_pysam_match_pysam(name):
    """The start-up check reads headers with the standard library (the head node has no pysam)."""
    import pysam

    from trpm6_hsh.population import declared_info_fields

    with pysam.VariantFile(str(DEMO / name)) as vcf:
        assert declared_info_fields(DEMO / name) == frozenset(vcf.header.info)


def test_a_file_that_is_not_a_vcf_has_no_readable_header(tmp_path):
    from trpm6_hsh.population import declared_info_fields

    (tmp_path / "x.vcf").write_text("sample_id\tvcf\n")
    assert declared_info_fields(tmp_path / "x.vcf") is None


def test_header_text_is_the_same_from_plain_gzip_and_bcf_framing(tmp_path):
    """One open, rewound, reads every framing as before: plain, gzip, a BCF's length-prefixed text, and no header."""
    import gzip

    from trpm6_hsh.population import _header_text, declared_info_fields

    header = b'##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description="x">\n#CHROM\tPOS\n'
    body = header + b"chr9\t1\n"
    (tmp_path / "plain.vcf").write_bytes(body)
    (tmp_path / "zipped.vcf.gz").write_bytes(gzip.compress(body))
    bcf_text = header + b"\0"
    bcf = b"BCF\2\2" + len(bcf_text).to_bytes(4, "little") + bcf_text + b"records"
    (tmp_path / "x.bcf").write_bytes(gzip.compress(bcf))
    (tmp_path / "empty.vcf").write_bytes(b"")
    (tmp_path / "cut.vcf.gz").write_bytes(gzip.compress(body)[:20])
    assert _header_text(tmp_path / "plain.vcf") == header.decode()
    assert _header_text(tmp_path / "zipped.vcf.gz") == header.decode()
    assert _header_text(tmp_path / "x.bcf") == bcf_text.decode()
    assert _header_text(tmp_path / "empty.vcf") == ""
    assert declared_info_fields(tmp_path / "x.bcf") == frozenset({"AF"})
    assert declared_info_fields(tmp_path / "cut.vcf.gz") is None
    assert declared_info_fields(tmp_path / "empty.vcf") is None
