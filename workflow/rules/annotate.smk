# Annotate: every annotator writes its own output under results/annotate/<annotator>/, one rule turns
# it into the consequence table results/annotate/<annotator>/{batch}.consequences.tsv (the project's LoF
# rules on the annotator's consequences), and the configured annotator's table is what classify reads,
# results/annotate/{batch}.consequences.tsv. With annotator_concordance, the tables are compared in
# results/annotate/{batch}.concordance.tsv. The contract is docs/annotators.md.


rule annotate_builtin:
    """Annotate every locus variant on every transcript of the model with the built-in annotator."""
    input:
        vcf="results/locus/{batch}.vcf.gz",
        fasta=REFERENCE_FASTA,
        model=TRANSCRIPT_MODEL,
    output:
        table="results/annotate/builtin/{batch}.tsv",
    log:
        "results/logs/annotate/builtin/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    script:
        "../../scripts/stages/annotate_builtin.py"


rule annotate_bcftools_csq:
    """bcftools csq (haplotype-aware when every het call is phased, record by record otherwise)."""
    input:
        vcf="results/locus/{batch}.vcf.gz",
        fasta=REFERENCE_FASTA,
        model=BCFTOOLS_MODEL,
    output:
        vcf="results/annotate/bcftools_csq/{batch}.vcf",
    log:
        "results/logs/annotate/bcftools_csq/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/bcftools.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        phase=CONFIG["bcftools_csq"]["phase"],
    # With --sdm apptainer: the main image, which holds the same pysam (and so bcftools) as this env.
    script:
        "../../scripts/stages/annotate_bcftools_csq.py"


rule snpeff_database:
    """A SnpEff database built offline from the transcript model and the reference (never downloaded)."""
    input:
        model=SNPEFF_MODEL,
        fasta=REFERENCE_FASTA,
    output:
        config="results/annotate/snpeff/database/snpEff.config",
        predictor="results/annotate/snpeff/database/trpm6/snpEffectPredictor.bin",
    log:
        "results/logs/annotate/snpeff/database.log",
    conda:
        "../envs/snpeff.yaml"
    container:
        CONFIG["containers"]["snpeff"]
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        genome_dir=lambda wildcards, output: str(Path(output.predictor).parent),
        data_dir=lambda wildcards, output: str(Path(output.config).parent),
        genes=SNPEFF_GENES_FILE,
        sequences=SNPEFF_SEQUENCES_FILE,
        model_format=SNPEFF_MODEL_FORMAT,
        command=CONFIG["snpeff"]["command"],
    shell:
        "mkdir -p {params.genome_dir} && "
        'ln -sf "$(realpath {input.model})" {params.genome_dir}/{params.genes} && '
        'ln -sf "$(realpath {input.fasta})" {params.genome_dir}/{params.sequences} && '
        "printf 'data.dir = %s/\\ntrpm6.genome : TRPM6 transcript model\\n' \"$(realpath {params.data_dir})\" "
        "> {output.config} && "
        "{params.command} build -noLog -nodownload -{params.model_format} -noCheckCds -noCheckProtein "
        "-c {output.config} -v trpm6 > {log} 2>&1"


rule annotate_snpeff:
    """SnpEff on the locus VCF: ANN, LOF and NMD fields, no statistics, no network."""
    input:
        unpack(snpeff_database_files),
        vcf="results/locus/{batch}.vcf.gz",
    output:
        vcf="results/annotate/snpeff/{batch}.vcf",
    log:
        "results/logs/annotate/snpeff/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/snpeff.yaml"
    container:
        CONFIG["containers"]["snpeff"]
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        command=CONFIG["snpeff"]["command"],
        config_option=snpeff_config_option,
        database=SNPEFF_DATABASE,
    shell:
        # awk keeps the VCF only: Debian's snpEff launcher echoes its own arguments on stdout
        "{params.command} ann -noLog -noStats -nodownload {params.config_option} {params.database} {input.vcf} "
        "2> {log} | awk 'vcf || /^##fileformat=/ {{vcf=1; print}}' > {output.vcf}.part && "
        "mv {output.vcf}.part {output.vcf}"


rule prepare_vep_model:
    """The transcript model sorted, bgzipped and tabix-indexed, as VEP's --gff/--gtf mode requires."""
    input:
        model=TRANSCRIPT_MODEL,
    output:
        model=f"results/annotate/vep/model/{VEP_MODEL_NAME}.gz",
        index=f"results/annotate/vep/model/{VEP_MODEL_NAME}.gz.tbi",
    log:
        "results/logs/annotate/vep/model.log",
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=15,
    script:
        "../../scripts/stages/prepare_vep_model.py"


rule annotate_vep:
    """Ensembl VEP with the user's cache, or in --gff/--gtf mode on the transcript model; plugins via extra_args."""
    input:
        unpack(vep_model_files),
        vcf="results/locus/{batch}.vcf.gz",
        fasta=REFERENCE_FASTA,
    output:
        vcf="results/annotate/vep/{batch}.vcf",
    log:
        "results/logs/annotate/vep/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/vep.yaml"
    container:
        CONFIG["containers"]["vep"]
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        command=CONFIG["vep"]["command"],
        source=vep_source_options,
        extra=lambda wildcards: CONFIG["vep"]["extra_args"],
    shell:
        "{params.command} --input_file {input.vcf} --output_file {output.vcf}.part --format vcf --vcf "
        "--offline {params.source} --fasta {input.fasta} --hgvs --symbol --numbers --canonical --no_escape "
        "--no_stats --force_overwrite {params.extra} > {log} 2>&1 && "
        "mv {output.vcf}.part {output.vcf}"


rule annotate_custom:
    """The lab's own annotator command (custom_annotator.command; contract in docs/annotators.md)."""
    input:
        vcf="results/locus/{batch}.vcf.gz",
        fasta=REFERENCE_FASTA,
        model=TRANSCRIPT_MODEL,
    output:
        annotated=f"results/annotate/custom/{{batch}}.{CUSTOM_OUTPUT_SUFFIX}",
    log:
        "results/logs/annotate/custom/{batch}.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        command=lambda wildcards: CONFIG["custom_annotator"]["command"],  # its {placeholders} are ours
        build=BUILD,
    script:
        "../../scripts/stages/annotate_custom.py"


rule normalise_consequences:
    """One annotator's output as the project's consequence table, with the project's LoF/PVS1 calls."""
    input:
        annotated=annotator_output,
        vcf="results/locus/{batch}.vcf.gz",
        fasta=REFERENCE_FASTA,
        model=TRANSCRIPT_MODEL,
    output:
        table="results/annotate/{annotator}/{batch}.consequences.tsv",
    log:
        "results/logs/annotate/{annotator}/{batch}.normalise.log",
    wildcard_constraints:
        annotator="|".join(AVAILABLE_ANNOTATORS),
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        output_format=annotator_output_format,
    script:
        "../../scripts/stages/normalise_consequences.py"


rule consequence_table:
    """The configured annotator's consequence table, at the path the classify stage reads."""
    input:
        table=f"results/annotate/{CONFIG['annotator']}/{{batch}}.consequences.tsv",
    output:
        table="results/annotate/{batch}.consequences.tsv",
    log:
        "results/logs/annotate/{batch}.select.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=200,
        runtime=5,
    shell:
        "cp {input.table} {output.table}.part 2> {log} && mv {output.table}.part {output.table}"


rule annotator_concordance:
    """Where the configured annotators differ, per variant x transcript."""
    input:
        tables=expand(
            "results/annotate/{annotator}/{{batch}}.consequences.tsv",
            annotator=ANNOTATORS_COMPARED,
        ),
    output:
        table="results/annotate/{batch}.concordance.tsv",
    log:
        "results/logs/annotate/{batch}.concordance.log",
    group:
        "batch"
    conda:
        "../envs/trpm6.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        annotators=ANNOTATORS_COMPARED,
    script:
        "../../scripts/stages/annotator_concordance.py"
