# Reference data fetched into resources.cache. A fetch rule exists only for a release pinned in the
# config (resources.<source>_release) that is missing from the cache; releases already cached are plain
# inputs. With offline: true (the default) a fetch rule refuses, with a message naming the command that
# fills the cache ahead of time. See docs/resources.md.

if "transcripts" in FETCH_NEEDED:

    rule fetch_transcripts:
        """TRPM6 transcript models of one Ensembl release, rendered as the project's model files."""
        output:
            **cache_outputs("transcripts"),
        log:
            "results/logs/resources/transcripts.log",
        conda:
            "../envs/trpm6.yaml"
        threads: 1
        resources:
            mem_mb=500,
            runtime=30,
        params:
            source="transcripts",
            build=BUILD,
            release=FETCH_NEEDED["transcripts"].release,
            fetch=FETCH_SETTINGS,
        script:
            "../../scripts/stages/fetch_resource.py"


if "clinvar" in FETCH_NEEDED:

    rule fetch_clinvar:
        """The TRPM6 region of one ClinVar release, as a bgzipped, indexed VCF."""
        output:
            **cache_outputs("clinvar"),
        log:
            "results/logs/resources/clinvar.log",
        conda:
            "../envs/trpm6.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=120,
        params:
            source="clinvar",
            build=BUILD,
            release=FETCH_NEEDED["clinvar"].release,
            fetch=FETCH_SETTINGS,
        script:
            "../../scripts/stages/fetch_resource.py"


if "gnomad" in FETCH_NEEDED:

    rule fetch_gnomad:
        """gnomAD allele frequencies over the TRPM6 region (GraphQL API), as a bgzipped, indexed VCF."""
        output:
            **cache_outputs("gnomad"),
        log:
            "results/logs/resources/gnomad.log",
        conda:
            "../envs/trpm6.yaml"
        threads: 1
        resources:
            mem_mb=500,
            runtime=60,
        params:
            source="gnomad",
            build=BUILD,
            release=FETCH_NEEDED["gnomad"].release,
            fetch=FETCH_SETTINGS,
        script:
            "../../scripts/stages/fetch_resource.py"
