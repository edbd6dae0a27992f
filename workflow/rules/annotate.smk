rule annotate_builtin:
    """Annotate every locus variant on every transcript of the model with the built-in annotator."""
    input:
        vcf="results/locus/{batch}.vcf.gz",
        fasta=REFERENCE_FASTA,
        model=TRANSCRIPT_MODEL,
    output:
        table="results/annotate/{batch}.consequences.tsv",
    log:
        "results/logs/annotate/{batch}.log",
    group: "batch"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        "../envs/trpm6.yaml"
    script:
        "../../scripts/stages/annotate_builtin.py"
