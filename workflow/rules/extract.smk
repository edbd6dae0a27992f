rule extract_locus:
    """Cut the TRPM6 locus out of one input VCF: harmonised contigs, split, left-aligned."""
    input:
        vcf=batch_vcf,
        fasta=REFERENCE_FASTA,
        region=LOCUS_BED,
    output:
        vcf="results/locus/{batch}.vcf.gz",
        index="results/locus/{batch}.vcf.gz.tbi",
        summary="results/locus/{batch}.extract.json",
    log:
        "results/logs/extract/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        samples=batch_sample_ids,
        build=BUILD,
    script:
        "../../scripts/stages/extract_locus.py"
