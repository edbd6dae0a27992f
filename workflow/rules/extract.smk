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
    params:
        samples=batch_sample_ids,
        build=BUILD,
    log:
        "results/logs/extract/{batch}.log",
    group: "batch"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        "../envs/trpm6.yaml"
    script:
        "../../scripts/stages/extract_locus.py"
