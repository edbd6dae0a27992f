rule checksum_resources:
    """SHA-256 of the reference, the transcript model, the locus BED and the ClinVar / gnomAD files, once per run."""
    input:
        unpack(cached_resource_inputs),
        unpack(user_resource_inputs),
        reference_fasta=REFERENCE_FASTA,
        transcript_model=TRANSCRIPT_MODEL,
        locus_bed=LOCUS_BED,
    output:
        checksums="results/provenance/resources.json",
    log:
        "results/logs/provenance/resources.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    script:
        "../../scripts/stages/checksum_resources.py"


rule checksum_vcf:
    """SHA-256 of one input VCF, however many samples share it."""
    input:
        vcf=batch_vcf,
    output:
        checksums="results/provenance/{batch}.vcf.json",
    log:
        "results/logs/provenance/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    script:
        "../../scripts/stages/checksum_vcf.py"


rule write_report:
    """The counselor's report for one sample: HTML, schema-validated JSON and a variant TSV."""
    input:
        verdict="results/inheritance/{sample}.verdict.json",
        model=TRANSCRIPT_MODEL,
        resources="results/provenance/resources.json",
        vcf_checksums=family_vcf_checksums,
        consequences=sample_consequence_table,
        extract_summary=sample_extract_summary,
        schema=workflow.source_path("../schemas/report.schema.json"),
        children_verdicts=children_verdicts,
    output:
        html=report(
            "results/reports/{sample}.report.html",
            caption="../report/sample_report.rst",
            category="Sample reports",
            labels={"sample": "{sample}", "file": "HTML"},
        ),
        json="results/reports/{sample}.report.json",
        tsv="results/reports/{sample}.report.tsv",
    log:
        "results/logs/report/{sample}.log",
    wildcard_constraints:
        sample=PER_SAMPLE_RULE_SAMPLES,
    group:
        "sample"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=15,
    params:
        sample=sample_record,
        # the rows it reads are in `sample` and `children` (a row's change reruns it; another row's does not)
        sample_sheet=CONFIG["samples"],
        build=BUILD,
        config_sha256=CONFIG_SHA256,
        annotator=CONFIG["annotator"],
        report_settings=CONFIG["report"],
        population_source=sample_population_source,
        clinvar_min_review_stars=CONFIG["clinvar_min_review_stars"],
        children=sample_children,
    script:
        "../../scripts/stages/write_report.py"


rule cohort_summary:
    """One page listing every sample's verdict and key variants, linking each report."""
    input:
        # each sample's report JSON, or the manifest of the chunk whose job writes it
        reports=PLAN.report_sources(),
    output:
        tsv="results/cohort/summary.tsv",
        html=report(
            "results/cohort/summary.html",
            caption="../report/cohort_summary.rst",
            category="Cohort",
        ),
    log:
        "results/logs/report/cohort_summary.log",
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=15,
    params:
        link_pdf=CONFIG["report"]["pdf"],
        samples=list(SAMPLES_BY_ID),
    script:
        "../../scripts/stages/write_cohort_summary.py"


rule report_pdf:
    """The HTML report printed to PDF (only when report.pdf is true)."""
    input:
        report=report_made_by,
    output:
        pdf=report(
            "results/reports/{sample}.report.pdf",
            caption="../report/sample_report_pdf.rst",
            category="Sample reports",
            labels={"sample": "{sample}", "file": "PDF"},
        ),
    log:
        "results/logs/report/{sample}.pdf.log",
    group:
        "sample"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        html="results/reports/{sample}.report.html",
    script:
        "../../scripts/stages/write_report_pdf.py"


rule screenshot_report:
    """Open one report in headless Chromium: no console errors, no network requests, a PNG of the page."""
    input:
        report=report_made_by,
    output:
        png=report(
            "results/screenshots/{sample}.png",
            caption="../report/screenshot.rst",
            category="Screenshots",
            labels={"sample": "{sample}"},
        ),
        check="results/screenshots/{sample}.browser.json",
    log:
        "results/logs/report/{sample}.screenshot.log",
    group:
        "sample"
    conda:
        "../envs/trpm6.yaml"
    # Chromium is not in the main image: with --sdm apptainer this rule runs on the host, whose Chromium
    # the start-up check found (it needs only the standard library).
    container:
        None
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        html="results/reports/{sample}.report.html",
    script:
        "../../scripts/stages/screenshot_report.py"
