"""Hostile sample sheets and configs, as a lab writes them: each case states the one-line error start-up must stop
with (naming the file, the line or key, the cause, and "Fix:") or what a correct start-up makes of it, and that
start-up wrote nothing. Cases run the workflow's start-up code (tests/hostile/startup.py), not Snakemake; the few
that only Snakemake shows (the config file it parses itself) are at the end.

Relative paths in the sheet and the config's ``samples`` are read from the folder Snakemake runs in (its
``--directory``), never from the sheet's own folder: the relative-path cases pin that.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from hostile.builders import vcf_text, write_text
from hostile.startup import CONFIG_SOURCE, SHEET_COLUMNS, base_config, sheet_text, start_up, tree
from trpm6_hsh.config import Sample
from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.runplan import RunPlan

Check = Callable[[tuple[Sample, ...], RunPlan], None]


@dataclass(frozen=True)
class StartupCase:
    """One hostile sheet or config: a builder writing it into the run folder and returning the config, and either
    the pieces of the error it must stop with (``names`` is the file or config the message must name) or a check
    of what start-up made of it."""

    id: str
    build: Callable[[Path], dict[str, Any]]
    message: tuple[str, ...] = ()
    names: str = "sheet"  # "sheet", "config", or a file name under the run folder
    check: Check | None = None


def _vcf(folder: Path, name: str = "in.vcf", samples: Sequence[str] = ("P1",)) -> Path:
    return write_text(folder / name, vcf_text(samples=samples))


def _row(sample_id: str = "P1", **cells: str) -> dict[str, str]:
    return {"sample_id": sample_id, "vcf": "{vcf}", **cells}


def sheet_case(id_: str, rows: Sequence[Mapping[str, str]] | str | bytes, *message: str,
               columns: Sequence[str] = SHEET_COLUMNS, check: Check | None = None,
               prepare: Callable[[Path], None] | None = None) -> StartupCase:
    """A sheet of ``rows`` (``{vcf}`` stands for the absolute path of a VCF holding P1, F1 and M1) or raw text."""

    def build(folder: Path) -> dict[str, Any]:
        vcf = _vcf(folder, samples=("P1", "F1", "M1"))
        if isinstance(rows, (str, bytes)):
            content = rows.replace("{vcf}", str(vcf)) if isinstance(rows, str) else rows.replace(b"{vcf}",
                                                                                                bytes(vcf))
        else:
            content = sheet_text([{k: v.replace("{vcf}", str(vcf)) for k, v in row.items()} for row in rows],
                                 columns)
        write_text(folder / "samples.tsv", content)
        if prepare:
            prepare(folder)
        return base_config(folder / "samples.tsv")

    return StartupCase(id_, build, message, "sheet", check)


def config_case(id_: str, edit: Callable[[dict[str, Any], Path], None], *message: str, names: str = "config",
                check: Check | None = None) -> StartupCase:
    """The base config (one sample P1) changed by ``edit(config, folder)``."""

    def build(folder: Path) -> dict[str, Any]:
        write_text(folder / "samples.tsv", sheet_text([{"sample_id": "P1", "vcf": str(_vcf(folder))}]))
        config = base_config(folder / "samples.tsv")
        edit(config, folder)
        return config

    return StartupCase(id_, build, message, names, check)


def setting(path: str, value: Any) -> Callable[[dict[str, Any], Path], None]:
    """An edit setting ``a.b.c`` to ``value`` (``{folder}`` in a string value is the run folder)."""

    def edit(config: dict[str, Any], folder: Path) -> None:
        *parents, last = path.split(".")
        node = config
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value.replace("{folder}", str(folder)) if isinstance(value, str) else value

    return edit


def samples_are(*ids: str) -> Check:
    def check(samples, plan):
        assert [s.sample_id for s in samples] == list(ids)
        assert all(Path(s.vcf).is_file() for s in samples), [s.vcf for s in samples]
    return check


TRIO = [_row("P1", paternal_id="F1", maternal_id="M1", sex="female", affected="true"),
        _row("F1", sex="male", affected="false"), _row("M1", sex="female", affected="false")]
VALID_HEADER = "\t".join(SHEET_COLUMNS)
CASES: list[StartupCase] = [sheet_case("sheet-valid-trio", TRIO, check=samples_are("P1", "F1", "M1"))]

# ------------------------------------------------------------------ sheet encoding, line ends, layout
CASES += [
    sheet_case("sheet-utf8-bom", "\ufeff" + sheet_text(TRIO), check=samples_are("P1", "F1", "M1")),
    sheet_case("sheet-crlf", sheet_text(TRIO).replace("\n", "\r\n"), check=samples_are("P1", "F1", "M1")),
    sheet_case("sheet-cr-only", sheet_text(TRIO).replace("\n", "\r"), check=samples_are("P1", "F1", "M1")),
    sheet_case("sheet-latin1-name", "sample_id\tvcf\tpatient_name\nP1\t{vcf}\tMüller\n".encode("latin-1"),
               "not UTF-8", "line 2", "save the sheet as UTF-8"),
    sheet_case("sheet-unicode-line-separator-in-cell", [{**_row(), "indication": "HSH\u2028suspected"}],
               columns=(*SHEET_COLUMNS, "indication"), check=samples_are("P1")),
    sheet_case("sheet-empty-file", "", "missing column(s) sample_id, vcf", "no header"),
    sheet_case("sheet-header-only", VALID_HEADER + "\n", "no samples listed", "add one row per sample"),
    sheet_case("sheet-comma-separated", sheet_text(TRIO).replace("\t", ","), "missing column(s)", "tab-separated"),
    sheet_case("sheet-space-separated", sheet_text(TRIO).replace("\t", "  "), "missing column(s)", "tab-separated"),
    sheet_case("sheet-missing-vcf-column", [{"sample_id": "P1"}], "missing column(s) vcf", columns=("sample_id",)),
    sheet_case("sheet-misspelt-column", [{"sampleid": "P1", "vcf": "{vcf}"}], "missing column(s) sample_id",
               columns=("sampleid", "vcf")),
    sheet_case("sheet-column-case", [{"Sample_ID": "P1", "vcf": "{vcf}"}], "missing column(s) sample_id",
               columns=("Sample_ID", "vcf")),
    sheet_case("sheet-extra-column", [_row(notes="x")], "unknown column(s) notes", "config/README.md",
               columns=(*SHEET_COLUMNS, "notes")),
    sheet_case("sheet-duplicate-column", "sample_id\tvcf\tsex\tsex\nP1\t{vcf}\tmale\tfemale\n",
               "column(s) sex appear more than once"),
    sheet_case("sheet-row-too-short", VALID_HEADER + "\nP1\t{vcf}\n", "line 2", "wrong number of tab-separated"),
    sheet_case("sheet-row-too-long", sheet_text([_row()]).rstrip("\n") + "\textra\n", "line 2",
               "wrong number of tab-separated"),
    sheet_case("sheet-comment-and-blank-lines", "# lab sheet v2\n\n" + sheet_text(TRIO) + "\n  \n",
               check=samples_are("P1", "F1", "M1")),
    sheet_case("sheet-cells-padded-with-spaces", sheet_text([{"sample_id": " P1 ", "vcf": " {vcf} "}]),
               check=samples_are("P1")),
    # A quote opened at the start of a cell and never closed would swallow the following rows (F1 vanished).
    sheet_case("sheet-unclosed-quote-in-free-text",
               sheet_text([{**_row("P1"), "indication": '"severe hypomagnesemia'}, _row("F1")],
                          (*SHEET_COLUMNS, "indication")), "line 2", "indication cell", "stray \""),
    # A spreadsheet's properly quoted cell is read without its quotes.
    sheet_case("sheet-quoted-cell", sheet_text([{**_row("P1"), "indication": '"HSH, suspected"'}],
                                               (*SHEET_COLUMNS, "indication")),
               check=lambda samples, plan: _equal(samples[0].indication, "HSH, suspected")),
    sheet_case("sheet-quote-inside-cell", sheet_text([{**_row("P1"), "patient_name": 'Anna "Ann" Smith'}],
                                                     (*SHEET_COLUMNS, "patient_name")),
               check=lambda samples, plan: _equal(samples[0].patient_name, 'Anna "Ann" Smith')),
]

# ------------------------------------------------------------------ sample_id
for name, bad_id in (("space", "P 1"), ("slash", "P/1"), ("dotdot", "../P1"), ("dollar", "$(rm -rf ~)"),
                     ("semicolon", "P1;ls"), ("backtick", "`id`"), ("leading-dot", ".P1"),
                     ("leading-dash", "-P1"), ("star", "P*"), ("nonascii", "Pä"), ("empty", "")):
    CASES.append(sheet_case(f"sample-id-{name}", [_row(bad_id)], "line 2", "sample_id", "letters, digits"))
CASES += [
    # Report file names carry the sample_id: past 255 bytes a file system refuses them mid-run.
    sheet_case("sample-id-too-long", [_row("P" * 300)], "line 2", "sample_id",
               "is too long (300 characters, at most 200)"),
    sheet_case("sample-id-duplicate", [_row("P1"), _row("P1")], "line 3", "'P1' also appears on line 2",
               "unique sample_id"),
]

# ------------------------------------------------------------------ the files a row names


def _absent(folder: Path) -> None:
    (folder / "in.vcf").unlink()


def _vcf_folder(folder: Path) -> None:
    (folder / "in.vcf").unlink()
    (folder / "in.vcf").mkdir()


def _write_bam(folder: Path, name: str = "P1.bam", index: bool = False) -> None:
    import pysam
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr9", "LN": 138394717}]}
    with pysam.AlignmentFile(str(folder / name), "wb", header=header):
        pass
    if index:
        pysam.index(str(folder / name))


CASES += [
    sheet_case("vcf-absent", [_row()], "line 2", "does not exist", "vcf column", prepare=_absent),
    sheet_case("vcf-is-a-folder", [_row()], "line 2", "is a folder", prepare=_vcf_folder),
    sheet_case("vcf-empty-cell", [_row(vcf="")], "line 2", "vcf"),
    # Relative paths start in the folder Snakemake runs in (the test runs there), not in the sheet's folder.
    sheet_case("vcf-relative-to-run-folder", [{"sample_id": "P1", "vcf": "in.vcf"}], check=samples_are("P1")),
    sheet_case("vcf-relative-to-sheet-folder-only", [{"sample_id": "P1", "vcf": "sheet.vcf"}], "line 2",
               "does not exist", "folder snakemake runs in",
               prepare=lambda folder: (folder / "sheets").mkdir() or _vcf(folder / "sheets", "sheet.vcf")),
    sheet_case("alignment-absent", [_row(alignment="/nonexistent/P1.bam")], "line 2", "alignment", "does not exist",
               columns=(*SHEET_COLUMNS, "alignment")),
    sheet_case("alignment-without-index", [_row(alignment="P1.bam")], "line 2", "no index", "samtools index",
               columns=(*SHEET_COLUMNS, "alignment"), prepare=_write_bam),
    sheet_case("alignment-with-index", [_row(alignment="P1.bam")], columns=(*SHEET_COLUMNS, "alignment"),
               prepare=lambda folder: _write_bam(folder, index=True),
               check=lambda samples, plan: _equal(plan.copy_number_samples, ("P1",))),
    sheet_case("sv-vcf-absent", [_row(sv_vcf="/nonexistent/sv.vcf")], "line 2", "sv_vcf", "does not exist",
               columns=(*SHEET_COLUMNS, "sv_vcf")),
    # The same file as vcf and sv_vcf: read once, never counted twice.
    sheet_case("sv-vcf-equals-vcf", [_row(sv_vcf="{vcf}")], columns=(*SHEET_COLUMNS, "sv_vcf"),
               check=lambda samples, plan: _equal(len(plan.batches_of("P1")), 1)),
]

# ------------------------------------------------------------------ pedigree
CASES += [
    sheet_case("parent-not-in-sheet", [_row(paternal_id="F9")], "paternal_id 'F9'", "not a sample_id in this sheet",
               "line 2"),
    sheet_case("parent-zero-means-none", [_row(paternal_id="0", maternal_id="0")],
               check=lambda samples, plan: _equal(samples[0].parents, ())),
    sheet_case("parent-is-self", [_row(paternal_id="P1", sex="male")], "its own parent", "line 2"),
    sheet_case("parent-both-roles-same-sample", [_row(paternal_id="F1", maternal_id="F1"), _row("F1")],
               "both father and mother", "'F1'", "line 2"),
    sheet_case("pedigree-loop-two", [_row("P1", paternal_id="F1"), _row("F1", paternal_id="P1", sex="male")],
               "own ancestors", "line 2"),
    sheet_case("pedigree-loop-three", [_row("P1", maternal_id="M1"), _row("M1", maternal_id="G1", sex="female"),
                                       _row("G1", maternal_id="P1", sex="female")], "own ancestors"),
    sheet_case("father-is-female", [_row(paternal_id="F1"), _row("F1", sex="female")], "paternal_id 'F1'",
               "has sex 'female'", "should be male", "line 2"),
    sheet_case("mother-is-male", [_row(maternal_id="M1"), _row("M1", sex="male")], "maternal_id 'M1'",
               "has sex 'male'", "should be female", "line 2"),
    sheet_case("parent-sex-unknown-accepted", [_row(paternal_id="F1"), _row("F1", sex="unknown")],
               check=lambda samples, plan: _equal(plan.family_of("P1"), ["P1", "F1"])),
]

# ------------------------------------------------------------------ sex, affected
for value in ("yes", "1", "TRUE", "True", "unknown", "affected", "y"):
    CASES.append(sheet_case(f"affected-{value}", [_row(affected=value)], "line 2", "affected", "'true', 'false'"))
for value in ("M", "F", "Male", "1", "2"):
    CASES.append(sheet_case(f"sex-{value}", [_row(sex=value)], "line 2", "sex", "'male', 'female'"))
CASES.append(sheet_case("affected-empty-is-unknown", [_row(affected="")],
                        check=lambda samples, plan: _equal(samples[0].affected, None)))

# ------------------------------------------------------------------ lab values and age
LAB = (*SHEET_COLUMNS, "serum_mg", "serum_ca", "pth", "age", "serum_mg_mmol_l")
CASES += [
    sheet_case("lab-mg-with-unit", [_row(serum_mg="1.1 mg/dL")], columns=LAB,
               check=lambda samples, plan: _equal(round(samples[0].lab_values.serum_mg_mmol_l, 2), 0.45)),
    sheet_case("lab-mg-no-unit", [_row(serum_mg="0.45")], "line 2", "unit", columns=LAB),
    sheet_case("lab-mg-unknown-unit", [_row(serum_mg="0.45 mmol/dL")], "line 2", "Fix:", columns=LAB),
    sheet_case("lab-mg-implausible-in-unit", [_row(serum_mg="45 mmol/L")], "line 2", "Serum magnesium",
               columns=LAB),
    sheet_case("lab-ca-mg-dl-as-mmol", [_row(serum_ca="8.4 mmol/L")], "line 2", "mg/dL", columns=LAB),
    sheet_case("lab-pth-text", [_row(pth="normal")], "line 2", "pth", columns=LAB),
    sheet_case("lab-negative", [_row(serum_mg="-0.4 mmol/L")], "line 2", "serum_mg", columns=LAB),
    sheet_case("lab-decimal-comma-fixed-column", [_row(serum_mg_mmol_l="0,45")], "line 2", "serum_mg_mmol_l",
               columns=LAB),
    sheet_case("lab-units-disagree", [_row(serum_mg="1.1 mg/dL", serum_mg_mmol_l="0.8")], "line 2", "disagree",
               columns=LAB),
    sheet_case("lab-less-than", [_row(serum_mg="<0.2 mmol/L")], "line 2", "serum_mg", columns=LAB),
    sheet_case("age-negative", [_row(age="-3y")], "line 2", "age", columns=LAB),
    sheet_case("age-no-unit", [_row(age="3")], "line 2", "age", columns=LAB),
    sheet_case("age-over-130", [_row(age="200y")], "line 2", "over 130 years", columns=LAB),
    sheet_case("age-text", [_row(age="three years")], "line 2", "age", columns=LAB),
]

# ------------------------------------------------------------------ free-text report-header cells
HEADER = (*SHEET_COLUMNS, "patient_name", "indication", "mrn")
CASES += [
    # Kept as written: the report's HTML escapes it, the per-sample TSV holds variant rows only, and the cohort
    # summary TSV gives a cell a spreadsheet would run a leading quote (report.summary.spreadsheet_safe).
    sheet_case("header-formula-hyperlink", [_row(patient_name='=HYPERLINK("http://x.example","click")')],
               columns=HEADER, check=lambda samples, plan: _equal(samples[0].patient_name,
                                                                   '=HYPERLINK("http://x.example","click")')),
    sheet_case("header-html-in-name", [_row(patient_name="<script>alert(1)</script>")], columns=HEADER,
               check=lambda samples, plan: _equal(samples[0].patient_name, "<script>alert(1)</script>")),
]


def _equal(got, expected) -> None:
    assert got == expected, (got, expected)


# ------------------------------------------------------------------ config: keys and types
CASES += [
    config_case("config-unknown-top-key", setting("thresholds", 3), "Additional properties", "'thresholds'"),
    config_case("config-misspelt-nested-key", setting("genotype_qc.min_depth", 10), "genotype_qc",
                "'min_depth'"),
    config_case("config-samples-missing", lambda config, folder: config.pop("samples"), "'samples' is a required"),
    config_case("config-samples-null", setting("samples", None), "samples", "not of type 'string'"),
    config_case("config-samples-absent-file", setting("samples", "{folder}/nosheet.tsv"), "sample sheet not found",
                names="nosheet.tsv"),
    config_case("config-samples-is-folder", setting("samples", "{folder}"), "is a folder", names="run-folder"),
    config_case("config-reference-missing", lambda config, folder: config.pop("reference"),
                "'reference' is a required"),
    config_case("config-min-dp-string", setting("genotype_qc.min_dp", "10"), "genotype_qc/min_dp",
                "not of type 'integer'"),
    config_case("config-min-dp-negative", setting("genotype_qc.min_dp", -1), "genotype_qc/min_dp",
                "less than the minimum of 0"),
    config_case("config-min-gq-float", setting("genotype_qc.min_gq", 20.5), "genotype_qc/min_gq"),
    config_case("config-het-balance-reversed", setting("genotype_qc.het_allele_balance", [0.8, 0.2]),
                "lower bound must be below the upper"),
    config_case("config-het-balance-equal", setting("genotype_qc.het_allele_balance", [0.5, 0.5]),
                "lower bound must be below the upper"),
    config_case("config-het-balance-one-number", setting("genotype_qc.het_allele_balance", [0.2]),
                "genotype_qc/het_allele_balance"),
    config_case("config-het-balance-percent", setting("genotype_qc.het_allele_balance", [20, 80]),
                "genotype_qc/het_allele_balance/0", "greater than the maximum of 1"),
    config_case("config-hom-balance-above-one", setting("genotype_qc.hom_min_allele_balance", 1.5),
                "genotype_qc/hom_min_allele_balance"),
    config_case("config-require-pass-string", setting("genotype_qc.require_pass", "yes"),
                "genotype_qc/require_pass", "not of type 'boolean'"),
    config_case("config-af-ceiling-percent", setting("population.af_ceiling", 1.5), "population/af_ceiling"),
    config_case("config-info-fields-string", setting("population.info_fields", "gnomAD_AF"),
                "population/info_fields", "not of type 'array'"),
    config_case("config-clinvar-stars-five", setting("clinvar_min_review_stars", 5), "clinvar_min_review_stars"),
    config_case("config-cohort-min-samples-negative", setting("cohort.min_samples", -1), "cohort/min_samples"),
    config_case("config-cnv-reference-samples-reversed",
                lambda config, folder: config.update(cnv={"min_reference_samples": 10, "max_reference_samples": 5}),
                "cnv.max_reference_samples", "below cnv.min_reference_samples"),
    config_case("config-report-pdf-string", setting("report.pdf", "no"), "report/pdf", "not of type 'boolean'"),
    config_case("config-report-laboratory-number", setting("report.laboratory", 42), "report/laboratory"),
    config_case("config-report-date-ambiguous", setting("report.report_date", "04/12/2026"), "report/report_date",
                "YYYY-MM-DD"),
    config_case("config-report-unknown-key", setting("report.logo", "x.png"), "report", "'logo'"),
    config_case("config-offline-string", setting("offline", "true"), "offline", "not of type 'boolean'"),
    config_case("config-section-null", setting("genotype_qc", None), "genotype_qc", "not of type 'object'"),
    config_case("config-timeout-zero", setting("resources.timeout_s", 0), "resources/timeout_s"),
    config_case("config-phenotype-threshold-zero", setting("phenotype.serum_mg_below_mmol_l", 0),
                "phenotype/serum_mg_below_mmol_l"),
]

# ------------------------------------------------------------------ config: build, reference, annotator, files
CASES += [
    config_case("config-build-hg19", setting("reference.build", "hg19"), "reference/build", "'GRCh38', 'GRCh37'"),
    config_case("config-build-lowercase", setting("reference.build", "grch38"), "reference/build"),
    config_case("config-annotator-unknown", setting("annotator", "annovar"), "annotator",
                "'builtin', 'bcftools_csq'"),
    config_case("config-annotator-custom-without-command", setting("annotator", "custom"),
                "custom_annotator.command"),
    config_case("config-concordance-custom-without-command", setting("annotator_concordance", ["custom"]),
                "custom_annotator.command"),
    # The caller's own AF (its frequency among the file's samples) is not a population frequency: with only AF
    # listed and a header that says so, the batch has no population source, which start-up says (never silent).
    config_case("config-info-fields-caller-af", setting("population.info_fields", ["AF"]),
                check=lambda samples, plan: _no_population_source(plan)),
    # Keys left out take the schema's defaults, never the demo config's.
    config_case("config-minimal-takes-defaults", lambda config, folder: None,
                check=lambda samples, plan: _equal(plan.config["genotype_qc"]["min_dp"], 10)),
]


def _no_population_source(plan: RunPlan) -> None:
    sources = plan.population_sources()
    assert sources and not any(source.assessed for source in sources.values()), sources


def _names(case: StartupCase, folder: Path, config: Mapping[str, Any]) -> str:
    if case.names == "sheet":
        return str(config["samples"])
    if case.names == "config":
        return CONFIG_SOURCE
    if case.names == "run-folder":
        return str(folder)
    return str(folder / case.names)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_startup_case(case: StartupCase, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    monkeypatch.chdir(folder)  # as Snakemake's --directory: relative paths start here
    config = case.build(folder)
    before = tree(tmp_path)
    if case.message:
        with pytest.raises(Trpm6Error) as caught:
            start_up(config)
        text = str(caught.value)
        assert "\n" not in text and "Traceback" not in text, text
        assert "Fix:" in text, text
        assert _names(case, folder, config) in text, text
        for piece in case.message:
            assert piece in text, (piece, text)
    else:
        samples, plan = start_up(config)
        assert case.check is not None
        case.check(samples, plan)
    assert tree(tmp_path) == before, "start-up wrote or changed a file"


def test_every_case_id_is_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 100, len(ids)


def test_an_unreadable_vcf_is_named_at_start_up(tmp_path, monkeypatch):
    """A VCF the run cannot read (a colleague's file mode) stops start-up. Tests run as root in CI, who reads every
    file, so the permission answer is simulated for that one path."""
    monkeypatch.chdir(tmp_path)
    vcf = _vcf(tmp_path)
    write_text(tmp_path / "samples.tsv", sheet_text([{"sample_id": "P1", "vcf": str(vcf)}]))
    real_access = os.access
    monkeypatch.setattr("trpm6_hsh.config.os.access",
                        lambda path, mode: False if Path(path) == vcf else real_access(path, mode))
    with pytest.raises(Trpm6Error, match="cannot be read") as caught:
        start_up(base_config(tmp_path / "samples.tsv"))
    assert "line 2" in str(caught.value) and "Fix:" in str(caught.value)


def test_config_yaml_written_by_hand_loads_like_the_dict(tmp_path, monkeypatch):
    """The cases above pass dicts; a YAML file holding the same keys starts up the same way."""
    monkeypatch.chdir(tmp_path)
    write_text(tmp_path / "samples.tsv", sheet_text([{"sample_id": "P1", "vcf": str(_vcf(tmp_path))}]))
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(base_config("samples.tsv")))
    samples, plan = start_up(yaml.safe_load((tmp_path / "config.yaml").read_text()))
    assert [s.sample_id for s in samples] == ["P1"] and plan.build.value == "GRCh38"


# ------------------------------------------------------------------ what only Snakemake shows (dry runs, ~1 s each)
# Snakemake reads --configfile itself, before any workflow code runs: a file it cannot parse, or one that is not a
# mapping, stops it with its own message, which does not name the file (accepted: nothing of ours runs first).
# A missing --configfile is a Snakemake traceback ending in the file's name (accepted likewise). A config that
# parses reaches our start-up and gets our one line.
SNAKEMAKE_CASES = {
    "configfile-broken-yaml": ('samples: x\nreference: [\n  fasta: "a\n', "is not valid JSON or YAML", False),
    "configfile-tab-indented": ("samples: x\nreference:\n\tfasta: a\n", "is not valid JSON or YAML", False),
    "configfile-empty": ("", "must be given as JSON or YAML with keys at top level", False),
    "configfile-comment-only": ("# to do\n", "must be given as JSON or YAML with keys at top level", False),
    "configfile-a-list": ("- samples.tsv\n", "must be given as JSON or YAML with keys at top level", False),
    "configfile-missing": (None, "No such file or directory: 'config.yaml'", False),
    "configfile-empty-mapping": ("{}\n", "config.yaml: invalid configuration: (top level): "
                                 "'samples' is a required property", True),
    "configfile-fasta-absent": ("samples: samples.tsv\nreference: {fasta: ref.fa}\n",
                                "trpm6-hsh: error: the workflow config: reference FASTA 'ref.fa' does not exist", True),
    "configfile-bad-sheet": ("samples: samples.tsv\nreference: {fasta: FASTA}\n",
                             "trpm6-hsh: error: samples.tsv, line 2: sample_id: 'P 1' does not match", True),
    # A ClinVar (or gnomAD, transcript model, locus BED) file that does not exist: Snakemake names it as a
    # missing input of the rule that reads it, before any job runs.
    "configfile-clinvar-absent": ("samples: samples.tsv\nreference: {fasta: FASTA}\nclinvar_vcf: clinvar.vcf.gz\n",
                                  "Missing input files for rule classify_variants", False),
}


@pytest.mark.parametrize("name", list(SNAKEMAKE_CASES))
def test_snakemake_start_up(name, tmp_path):
    import subprocess
    import sys

    from hostile.chain import FASTA, REPO

    text, expected, ours = SNAKEMAKE_CASES[name]
    sheet_id = "P 1" if name == "configfile-bad-sheet" else "P1"
    write_text(tmp_path / "samples.tsv", sheet_text([{"sample_id": sheet_id, "vcf": str(_vcf(tmp_path))}]))
    if text is not None:
        (tmp_path / "config.yaml").write_text(text.replace("FASTA", str(FASTA)))
    before = tree(tmp_path)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path),
               "--configfile", "config.yaml", "-n", "--cores", "1"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert expected in output, output
    if name == "configfile-clinvar-absent":
        assert "clinvar.vcf.gz" in output, output
    if name != "configfile-missing":
        assert "Traceback" not in output, output
    if ours:
        ours_lines = [line for line in output.splitlines() if line.startswith("trpm6-hsh: error:")]
        assert len(ours_lines) == 1 and "Fix:" in ours_lines[0], output
    assert {k: v for k, v in tree(tmp_path).items() if not k.startswith(".snakemake")} == before
    assert not (tmp_path / "results").exists()
