rule classify_variants:
    """Per variant on the MANE transcript: LoF, population frequency, ClinVar, ACMG evidence and class."""
    input:
        consequences="results/annotate/{batch}.consequences.tsv",
        vcf="results/locus/{batch}.vcf.gz",
        clinvar_vcf=clinvar_vcf,
        gnomad_vcf=gnomad_vcf,
        coverage_bed=gnomad_coverage_bed,
        model=TRANSCRIPT_MODEL,
    output:
        table="results/classify/{batch}.variants.tsv",
    log:
        "results/logs/classify/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        population=CONFIG["population"],
        clinvar={"min_review_stars": CONFIG["clinvar_min_review_stars"]},
        build=BUILD,
    script:
        "../../scripts/stages/classify_variants.py"
