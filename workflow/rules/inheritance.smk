rule call_biallelic_status:
    """Per sample: genotype QC, phase (GT|PS, parents), callability and the autosomal-recessive verdict."""
    input:
        locus=family_locus_vcfs,
        variants=family_variant_tables,
        model=TRANSCRIPT_MODEL,
        alignment=sample_alignment,
        parent_alignments=parent_alignments,
        copy_number=family_copy_number_files,
    output:
        verdict="results/inheritance/{sample}.verdict.json",
    log:
        "results/logs/inheritance/{sample}.log",
    wildcard_constraints:
        sample=PER_SAMPLE_RULE_SAMPLES,
    group:
        "sample"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        sample=sample_record,
        batches=family_batches,
        genotype_qc=CONFIG["genotype_qc"],
        callability=CONFIG["callability"],
        phenotype=CONFIG["phenotype"],
        population=CONFIG["population"],
        reference_fasta=REFERENCE_FASTA,
        alignments=family_alignments,
        copy_number=family_copy_number,
        cnv=CONFIG["cnv"],
    script:
        "../../scripts/stages/call_biallelic_status.py"
