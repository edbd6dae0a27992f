rule classify_variants:
    """Per variant on the MANE transcript: LoF, population frequency, ACMG evidence and class."""
    input:
        consequences="results/annotate/{batch}.consequences.tsv",
        vcf="results/locus/{batch}.vcf.gz",
    output:
        table="results/classify/{batch}.variants.tsv",
    params:
        population=CONFIG["population"],
    log:
        "results/logs/classify/{batch}.log",
    group: "batch"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        "../envs/trpm6.yaml"
    script:
        "../../scripts/stages/classify_variants.py"
