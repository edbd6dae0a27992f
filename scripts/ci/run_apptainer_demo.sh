#!/usr/bin/env bash
# Run the demo under `snakemake --sdm apptainer` with the main image, and check its verdicts.
#
#   scripts/ci/run_apptainer_demo.sh IMAGE.sif [WORKDIR]   (image from scripts/ci/build_image.sh)
#
# Snakemake runs from a virtual environment holding Snakemake alone, as on a cluster's head node:
# without pysam, cyvcf2, pandas or WeasyPrint there, every job can only have run inside the image.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
image=$(realpath "${1:?usage: run_apptainer_demo.sh IMAGE.sif [WORKDIR]}")
work=${2:-$(mktemp -d /tmp/trpm6-apptainer-ci.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)

snakemake_pin=$(grep -o '"snakemake==[^"]*"' "$repo/pyproject.toml" | head -n 1 | tr -d '"')
python3 -m venv "$work/head-node"
"$work/head-node/bin/pip" install -q "$snakemake_pin" >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
if "$work/head-node/bin/python" -c "import pysam" 2>/dev/null; then
    echo "run_apptainer_demo.sh: error: the head-node environment has pysam; the check would prove nothing" >&2
    exit 1
fi

# A copy of the checkout as a lab would have it, with its own results/.
git -C "$repo" ls-files -z | (cd "$repo" && xargs -0 cp --parents --target-directory="$work" 2>/dev/null) || true
cd "$work"
rm -rf results .snakemake
"$work/head-node/bin/snakemake" --cores 2 --sdm apptainer --config "containers={main: $image}" \
    >"$work/snakemake.log" 2>&1 || { tail -n 60 "$work/snakemake.log"; exit 1; }

python3 - "$work/snakemake.log" <<'PY'
import re
import sys

log = open(sys.argv[1]).read()
jobs = len(re.findall(r"^(?:local)?rule (?!all:)\w+:", log, re.M))
in_image = log.count("Activating singularity image")
assert jobs and in_image == jobs, f"{in_image} of {jobs} jobs ran in the image"
print(f"apptainer demo: {in_image} of {jobs} jobs ran in the image")
PY
python3 "$repo/scripts/ci/check_demo_verdicts.py" "$work" "apptainer demo"
