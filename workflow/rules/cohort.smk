# Cohort mode (config `cohort.min_samples`): one rule per large input VCF, defined per batch because its
# outputs are the batch's per-sample verdicts and reports, known from the sample sheet. `ruleorder` makes
# these rules, not the per-sample ones, produce those files; paths and contents are the same either way.
# The per-sample facts travel in a plan file, not params (Snakemake copies params into every output's record).


rule plan_cohort:
    """What one cohort-mode job must know of its samples (rows, families, checksum files, children)."""
    output:
        plan=COHORT_PLAN,
    log:
        "results/logs/cohort/{batch}.plan.log",
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=15,
    params:
        arguments=lambda wildcards: PLAN.cohort_arguments(
            wildcards.batch, POPULATION_SOURCES[wildcards.batch].to_json()
        ),
    script:
        "../../scripts/stages/write_job_plan.py"


for cohort_batch in COHORT_BATCHES:

    rule:
        name:
            cohort_rule_name(cohort_batch)
        input:
            locus=stage_files_of(cohort_family_members(cohort_batch), LOCUS_VCF),
            variants=stage_files_of(cohort_family_members(cohort_batch), VARIANT_TABLE),
            vcf_checksums=stage_files_of(
                cohort_family_members(cohort_batch), VCF_CHECKSUMS
            ),
            consequences=CONSEQUENCE_TABLE.format(batch=cohort_batch),
            extract_summary=EXTRACT_SUMMARY.format(batch=cohort_batch),
            alignments=[
                s.alignment for s in COHORT_BATCHES[cohort_batch] if s.alignment
            ],
            copy_number=list(
                PLAN.copy_number_files_of(cohort_family_members(cohort_batch)).values()
            ),
            model=TRANSCRIPT_MODEL,
            resources="results/provenance/resources.json",
            schema=workflow.source_path("../schemas/report.schema.json"),
            children_verdicts=cohort_children_verdicts(cohort_batch),
            plan=COHORT_PLAN.format(batch=cohort_batch),
        output:
            verdicts=cohort_outputs(
                cohort_batch, "results/inheritance/{sample}.verdict.json"
            ),
            html=cohort_outputs(cohort_batch, "results/reports/{sample}.report.html"),
            json=cohort_outputs(cohort_batch, "results/reports/{sample}.report.json"),
            tsv=cohort_outputs(cohort_batch, "results/reports/{sample}.report.tsv"),
        log:
            f"results/logs/cohort/{cohort_batch}.log",
        conda:
            "../envs/trpm6.yaml"
        threads: 2
        resources:
            mem_mb=2000,
            runtime=120,
        params:
            sample_sheet=CONFIG["samples"],
            genotype_qc=CONFIG["genotype_qc"],
            callability=CONFIG["callability"],
            phenotype=CONFIG["phenotype"],
            population=CONFIG["population"],
            clinvar_min_review_stars=CONFIG["clinvar_min_review_stars"],
            reference_fasta=REFERENCE_FASTA,
            cnv=CONFIG["cnv"],
            build=BUILD,
            config_sha256=CONFIG_SHA256,
            annotator=CONFIG["annotator"],
            report_settings=CONFIG["report"],
        script:
            "../../scripts/stages/write_cohort_batch.py"

    workflow.ruleorder(cohort_rule_name(cohort_batch), "call_biallelic_status")
    workflow.ruleorder(cohort_rule_name(cohort_batch), "write_report")
