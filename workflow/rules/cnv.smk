# Exon copy number from read depth (trpm6_hsh.copy_number): one job over every sample with an alignment,
# since each sample is compared with a reference set chosen from the others. Samples without an alignment
# get no file; their verdicts and reports say copy number was not assessed.


rule call_copy_number:
    """Exon copy number of TRPM6 from read depth, for every sample with an alignment (the run is the batch)."""
    input:
        alignments=copy_number_alignment_files(),
        fasta=REFERENCE_FASTA,
        model=TRANSCRIPT_MODEL,
    output:
        results=copy_number_result_files(),
        status=COPY_NUMBER_STATUS,
    log:
        "results/logs/cnv/copy_number.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        alignments=PLAN.copy_number_alignments(),
        outputs=PLAN.copy_number_outputs(),
        cnv=CONFIG["cnv"],
    script:
        "../../scripts/stages/call_copy_number.py"
