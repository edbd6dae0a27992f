# Chunks of many input files (config `batching`; trpm6_hsh.chunking): one job runs every stage of a chunk's
# files and samples, writing the per-file rules' outputs to the same paths. Defined per chunk because its
# outputs are known from the sample sheet; `ruleorder` makes these rules, not the per-sample ones, produce
# the verdicts and reports. The chunk's input files and per-sample facts reach it through one plan file
# (trpm6_hsh.provenance.write_job_plan): Snakemake records a job's inputs and params against each of its
# outputs, so listing them on the chunk job itself would grow as samples x outputs.


rule plan_chunk:
    """What one chunk's job must know of its samples, and the SHA-256 of every input VCF of the chunk."""
    input:
        vcfs=chunk_vcfs,
    output:
        plan=CHUNK_PLAN,
    log:
        "results/logs/chunks/{chunk}.plan.log",
    group:
        "chunk"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=60,
    params:
        vcfs=lambda wildcards: PLAN.chunk_vcfs(wildcards.chunk),
        arguments=lambda wildcards: PLAN.chunk_arguments(
            wildcards.chunk, CHUNK_POPULATION_SOURCES
        ),
    script:
        "../../scripts/stages/write_job_plan.py"


for chunk_name in CHUNKS:

    rule:
        name:
            chunk_rule_name(chunk_name)
        input:
            **PLAN.chunk_input_files(chunk_name),
            plan=CHUNK_PLAN.format(chunk=chunk_name),
            fasta=REFERENCE_FASTA,
            region=LOCUS_BED,
            model=TRANSCRIPT_MODEL,
            clinvar_vcf=clinvar_vcf(None),
            gnomad_vcf=gnomad_vcf(None),
            coverage_bed=gnomad_coverage_bed(None),
            resources="results/provenance/resources.json",
            schema=workflow.source_path("../schemas/report.schema.json"),
        output:
            PLAN.chunk_outputs(chunk_name),
        log:
            f"results/logs/chunks/{chunk_name}.log",
        group:
            "chunk"
        conda:
            "../envs/trpm6.yaml"
        threads: 1
        resources:
            mem_mb=2000,
            runtime=120,
        params:
            genotype_qc=CONFIG["genotype_qc"],
            callability=CONFIG["callability"],
            phenotype=CONFIG["phenotype"],
            population=CONFIG["population"],
            clinvar_min_review_stars=CONFIG["clinvar_min_review_stars"],
            cnv=CONFIG["cnv"],
            build=BUILD,
            config_sha256=CONFIG_SHA256,
            annotator=CONFIG["annotator"],
            report_settings=CONFIG["report"],
            sample_sheet=CONFIG["samples"],
        script:
            "../../scripts/stages/run_chunk.py"

    for per_file_rule in CHUNKED_RULES:
        workflow.ruleorder(chunk_rule_name(chunk_name), per_file_rule)
