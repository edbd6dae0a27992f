"""Config and sample-sheet validation: defaults filled in, every error names the line and the fix."""

from __future__ import annotations

import pytest
from conftest import REPO

from trpm6_hsh.config import batch_id_for, batches, load_samples, validate_config
from trpm6_hsh.errors import ConfigError

CONFIG_SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
SAMPLES_SCHEMA = REPO / "workflow" / "schemas" / "samples.schema.yaml"
HEADER = "sample_id\tvcf\tfamily_id\tpaternal_id\tmaternal_id\tsex\taffected\n"


def sheet(tmp_path, rows: str, header: str = HEADER):
    (tmp_path / "a.vcf").write_text("")
    path = tmp_path / "samples.tsv"
    path.write_text(header + rows.replace("A_VCF", str(tmp_path / "a.vcf")))
    return path


def test_defaults_are_filled_in():
    config = validate_config({"samples": "s.tsv", "reference": {"fasta": "r.fa"}}, CONFIG_SCHEMA)
    assert config["reference"]["build"] == "GRCh38"
    assert config["annotator"] == "builtin"
    assert config["population"]["af_ceiling"] == 0.01
    assert "AF" not in config["population"]["info_fields"]
    assert config["genotype_qc"]["min_dp"] == 10
    assert config["offline"] is True


def test_every_schema_key_has_a_description():
    import yaml

    def walk(node, path):
        for name, sub in node.get("properties", {}).items():
            assert sub.get("description"), f"{path}/{name} has no description"
            walk(sub, f"{path}/{name}")

    walk(yaml.safe_load(CONFIG_SCHEMA.read_text()), "config")
    walk(yaml.safe_load(SAMPLES_SCHEMA.read_text()), "samples")


def test_unknown_build_is_rejected_with_its_key():
    with pytest.raises(ConfigError, match="reference/build"):
        validate_config({"samples": "s", "reference": {"fasta": "r", "build": "hg19"}}, CONFIG_SCHEMA)


def test_unknown_key_is_rejected():
    with pytest.raises(ConfigError, match="annotatr"):
        validate_config({"samples": "s", "reference": {"fasta": "r"}, "annotatr": "vep"}, CONFIG_SCHEMA)


def test_sample_sheet_loads_trio(tmp_path):
    rows = (
        "KID\tA_VCF\tF1\tDAD\tMUM\tfemale\ttrue\nDAD\tA_VCF\tF1\t0\t0\tmale\tfalse\nMUM\tA_VCF\tF1\t\t\tfemale\tfalse\n"
    )
    samples = load_samples(sheet(tmp_path, rows), SAMPLES_SCHEMA)
    assert samples[0].parents == ("DAD", "MUM")
    assert samples[1].parents == ()
    assert samples[0].affected is True
    assert len(batches(samples)) == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("../etc\tA_VCF\t\t\t\t\t\n", "line 2"),
        ("K<script>\tA_VCF\t\t\t\t\t\n", "does not match"),
        ("K1\tA_VCF\t\t\t\t\t\nK1\tA_VCF\t\t\t\t\t\n", "also appears on line 2"),
        ("K1\t/nope/missing.vcf.gz\t\t\t\t\t\n", "does not exist"),
        ("K1\tA_VCF\t\tGHOST\t\t\t\n", "not a sample_id in this sheet"),
        ("K1\tA_VCF\t\t\t\tmale\tyes\n", "affected"),
        ("Kï\tA_VCF\t\t\t\t\t\n", "does not match"),
    ],
)
def test_bad_rows_name_line_and_fix(tmp_path, rows, message):
    with pytest.raises(ConfigError, match=message) as error:
        load_samples(sheet(tmp_path, rows), SAMPLES_SCHEMA)
    assert "Fix:" in str(error.value)
    assert "samples.tsv" in str(error.value)


def test_missing_required_column(tmp_path):
    with pytest.raises(ConfigError, match="missing column"):
        load_samples(sheet(tmp_path, "K1\n", header="sample_id\n"), SAMPLES_SCHEMA)


def test_batch_ids_are_safe_and_distinct():
    first, second = batch_id_for("/a/x y.vcf.gz"), batch_id_for("/b/x y.vcf.gz")
    assert first != second
    assert first.startswith("x_y-")
    assert "/" not in batch_id_for("../../evil.bcf")


def test_settings_objects_take_every_threshold_from_the_schema():
    import dataclasses

    from trpm6_hsh.callability import CallabilitySettings
    from trpm6_hsh.classify import PM2_MAX_AF, PopulationSettings
    from trpm6_hsh.config import default_config
    from trpm6_hsh.inheritance import GenotypeQcSettings

    for settings_class in (CallabilitySettings, GenotypeQcSettings, PopulationSettings):
        fields = dataclasses.fields(settings_class)
        assert all(f.default is dataclasses.MISSING for f in fields), f"{settings_class.__name__} has a default"
    defaults = default_config()
    assert defaults == validate_config({"samples": "", "reference": {"fasta": ""}}, CONFIG_SCHEMA)
    assert GenotypeQcSettings.from_config(defaults["genotype_qc"]) == GenotypeQcSettings(10, 20, (0.2, 0.8), 0.85, True)
    assert CallabilitySettings.from_config(defaults["callability"]) == CallabilitySettings(10, 20, 10, 20, 20)
    population = PopulationSettings.from_config(
        defaults["population"], {"min_review_stars": defaults["clinvar_min_review_stars"]}
    )
    assert (population.af_ceiling, population.gnomad_af_field, population.clinvar_min_review_stars) == (0.01, "AF", 1)
    assert population.info_fields == tuple(defaults["population"]["info_fields"])
    assert population.pm2_max_af == PM2_MAX_AF
    with pytest.raises(KeyError):
        GenotypeQcSettings.from_config({"min_dp": 5})


def test_a_partial_section_is_completed_and_checked_against_the_schema():
    from trpm6_hsh.config import complete_section, default_config

    assert complete_section("genotype_qc", {"min_dp": 5}) == {**default_config()["genotype_qc"], "min_dp": 5}
    assert complete_section("callability", None) == default_config()["callability"]
    with pytest.raises(ConfigError, match="min_gq"):
        complete_section("genotype_qc", {"min_gq": -1})
    default_config()["population"]["af_ceiling"] = 0.5
    assert default_config()["population"]["af_ceiling"] == 0.01, "each call gives a fresh copy"


def test_reversed_allele_balance_bounds_are_refused():
    config = {"samples": "s.tsv", "reference": {"fasta": "r.fa"}, "genotype_qc": {"het_allele_balance": [0.8, 0.2]}}
    with pytest.raises(ConfigError, match=r"het_allele_balance is \[0.8, 0.2\].*Fix: write it as \[low, high\]"):
        validate_config(config, CONFIG_SCHEMA)


def test_a_byte_order_mark_in_the_sheet_is_not_part_of_the_first_column(tmp_path):
    path = sheet(tmp_path, "S1\tA_VCF\t\t0\t0\tmale\ttrue\n")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (sample,) = load_samples(path, SAMPLES_SCHEMA)
    assert sample.sample_id == "S1"


def test_a_pedigree_loop_is_refused(tmp_path):
    rows = "A\tA_VCF\tF\tB\t0\tmale\t\nB\tA_VCF\tF\tA\t0\tmale\t\n"
    with pytest.raises(ConfigError, match="among its own ancestors"):
        load_samples(sheet(tmp_path, rows), SAMPLES_SCHEMA)
