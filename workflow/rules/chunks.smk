# Chunks of many input files (config `batching`; trpm6_hsh.chunking): one job runs every stage of a chunk's
# files and samples (trpm6_hsh.chunk_job), writing the per-file rules' outputs to the same paths. The job
# declares one file, its manifest (the files it wrote): declaring each sample's verdict and reports would
# cost the workflow seconds of bookkeeping per start at 10,000 samples. A sample's row, a file's content or
# a setting that changes reruns the chunk's job, which redoes only the files and families that changed.


rule chunk:
    """Every stage of one chunk of input files, from extraction to the reports of its samples."""
    input:
        unpack(chunk_inputs),
        fasta=REFERENCE_FASTA,
        region=LOCUS_BED,
        model=TRANSCRIPT_MODEL,
        clinvar_vcf=clinvar_vcf,
        gnomad_vcf=gnomad_vcf,
        coverage_bed=gnomad_coverage_bed,
        resources="results/provenance/resources.json",
        schema=workflow.source_path("../schemas/report.schema.json"),
    output:
        manifest=CHUNK_MANIFEST,
    log:
        "results/logs/chunks/{chunk}.log",
    group:
        "chunk"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        arguments=lambda wildcards: PLAN.chunk_arguments(
            wildcards.chunk, CHUNK_POPULATION_SOURCES
        ),
        vcfs=lambda wildcards: PLAN.chunk_vcfs(wildcards.chunk),
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
