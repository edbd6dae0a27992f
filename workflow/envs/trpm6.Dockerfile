# Container of the main environment (workflow/envs/trpm6.yaml), for registries: the same image as
# workflow/envs/trpm6.def, which builds it without one. Under `--sdm apptainer` every rule without a
# container of its own runs in it (config key containers.main). Its Python packages
# are the exact pins of pyproject.toml's dependencies, which equal trpm6.yaml (tests/test_packaging.py).
# Build and publish it once per release (docs/cluster.md):
#   docker build -f workflow/envs/trpm6.Dockerfile -t ghcr.io/trpm6-hsh/trpm6-hsh:0.1.0 .
FROM python:3.11.11-slim-bookworm
# Shared libraries WeasyPrint needs for PDF reports.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md /opt/trpm6-hsh/
COPY src /opt/trpm6-hsh/src
# The package reads the config schema (every default) and the shipped TRPM6 model beside its source.
COPY workflow/schemas /opt/trpm6-hsh/workflow/schemas
COPY resources/trpm6_mane_select_exons.tsv /opt/trpm6-hsh/resources/
COPY resources/GRCh37 /opt/trpm6-hsh/resources/GRCh37
COPY resources/GRCh38 /opt/trpm6-hsh/resources/GRCh38
# Snakemake runs each rule's script with the image's Python, which imports snakemake itself.
RUN pip install --no-cache-dir -e "/opt/trpm6-hsh[workflow]"
