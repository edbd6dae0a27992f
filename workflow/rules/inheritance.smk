rule call_biallelic_status:
    """Per sample: genotype QC, phase (GT|PS, parents), callability and the autosomal-recessive verdict."""
    input:
        locus=family_locus_vcfs,
        variants=family_variant_tables,
        model=TRANSCRIPT_MODEL,
        alignment=sample_alignment,
    output:
        verdict="results/inheritance/{sample}.verdict.json",
    params:
        sample=sample_record,
        batches=family_batches,
        genotype_qc=CONFIG["genotype_qc"],
        callability=CONFIG["callability"],
        reference_fasta=REFERENCE_FASTA,
    log:
        "results/logs/inheritance/{sample}.log",
    group: "sample"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        "../envs/trpm6.yaml"
    script:
        "../../scripts/stages/call_biallelic_status.py"
