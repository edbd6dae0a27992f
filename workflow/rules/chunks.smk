# Chunks of many input files (config `batching`; trpm6_hsh.chunking): one job runs every stage of a chunk's
# files and samples, writing the per-file rules' outputs to the same paths. Defined per chunk because its
# outputs are known from the sample sheet; `ruleorder` makes these rules, not the per-sample ones, produce
# the verdicts and reports. The chunk's input files reach it through one checksum file (a file that changes
# changes it), so the job's metadata does not grow as files x outputs.


rule checksum_chunk_vcfs:
    """SHA-256 of every input VCF of one chunk, in one file."""
    input:
        vcfs=chunk_vcfs,
    output:
        checksums=CHUNK_VCF_CHECKSUMS,
    log:
        "results/logs/chunks/{chunk}.checksums.log",
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=60,
    params:
        vcfs=lambda wildcards: PLAN.chunk_vcfs(wildcards.chunk),
    script:
        "../../scripts/stages/checksum_chunk_vcfs.py"


for chunk_name in CHUNKS:

    rule:
        name:
            chunk_rule_name(chunk_name)
        input:
            **PLAN.chunk_input_files(chunk_name),
            vcf_checksums=CHUNK_VCF_CHECKSUMS.format(chunk=chunk_name),
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
        conda:
            "../envs/trpm6.yaml"
        threads: 1
        resources:
            mem_mb=2000,
            runtime=120,
        params:
            chunk=PLAN.chunk_arguments(chunk_name, CHUNK_POPULATION_SOURCES),
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
