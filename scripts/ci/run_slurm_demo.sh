#!/usr/bin/env bash
# Run the demo on a real single-node SLURM cluster through workflow/profiles/slurm, check its verdicts,
# then check that a failing job fails the run with a clear message instead of hanging.
#
#   scripts/ci/run_slurm_demo.sh [WORKDIR]      (root; Debian slurm-wlm slurmctld slurmd slurm-client munge,
#                                                 pip install -e ".[cluster]")
# The daemons are stopped by PID on exit, whatever happens. Takes about 3-4 minutes on 2 cores.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/trpm6-slurm-ci.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
cluster="$work/cluster"
trap '"$repo/scripts/ci/stop_local_slurm.sh" "$cluster"' EXIT
"$repo/scripts/ci/start_local_slurm.sh" "$cluster"

# A demo run folder outside the repo, with absolute paths (and one more with a truncated VCF).
python3 - "$repo" "$work" <<'PY'
import gzip
import sys
from pathlib import Path

import yaml

repo, work = Path(sys.argv[1]), Path(sys.argv[2])
config = yaml.safe_load((repo / "config" / "config.yaml").read_text())
config["reference"]["fasta"] = str(repo / config["reference"]["fasta"])
config["cnv"]["reference_counts"] = str(repo / config["cnv"]["reference_counts"])
lines = (repo / "config" / "samples.tsv").read_text().splitlines()
header = lines[0].split("\t")
column = header.index("vcf")
for name, rows in (("demo", lines[1:]), ("chunked", lines[1:]), ("failing", lines[1:2])):
    run = work / name
    run.mkdir(exist_ok=True)
    out = ["\t".join(header)]
    for line in rows:
        cells = line.split("\t")
        if cells and not line.startswith("#"):
            cells[column] = str(repo / cells[column])
            for optional in ("sv_vcf", "alignment"):
                if optional in header and cells[header.index(optional)]:
                    cells[header.index(optional)] = str(repo / cells[header.index(optional)])
            if name == "failing":  # keep half of the compressed bytes: a truncated download
                data = Path(cells[column]).read_bytes()
                assert gzip.decompress(data)
                truncated = run / "truncated.vcf.gz"
                truncated.write_bytes(data[: len(data) // 2])
                cells[column] = str(truncated)
        out.append("\t".join(cells))
    (run / "samples.tsv").write_text("\n".join(out) + "\n")
    # "chunked": the same demo dealt into chunks of about 3 input files, one SLURM job per chunk
    batching = {"batching": {"files_per_job": 3, "min_files": 1}} if name == "chunked" else {}
    (run / "config.yaml").write_text(yaml.safe_dump({**config, **batching, "samples": str(run / "samples.tsv")}))
PY

run_on_slurm() {
  local run=$1
  timeout -k 30 600 snakemake -s "$repo/Snakefile" --directory "$work/$run" --configfile "$work/$run/config.yaml" \
    --workflow-profile "$repo/workflow/profiles/slurm" \
    --cores 2 --slurm-status-command squeue --slurm-init-seconds-before-status-checks 2 \
    --seconds-between-status-checks 3 \
    --slurm-keep-successful-logs
}

echo "== SLURM: the demo through workflow/profiles/slurm"
start=$(date +%s)
run_on_slurm demo 2>&1 | tee "$work/demo.log"
echo "demo on SLURM took $(($(date +%s) - start)) s"
submitted=$(grep -c "submitted with SLURM jobid" "$work/demo.log" || true)
echo "SLURM jobs submitted through sbatch: $submitted"
grep "submitted with SLURM jobid" "$work/demo.log"
[ "$submitted" -ge 2 ] || { echo "expected jobs submitted through sbatch" >&2; exit 1; }
echo "slurmctld received these batch (sbatch) submissions:"
grep "_slurm_rpc_submit_batch_job" "$cluster/log/slurmctld.log" \
  || { echo "slurmctld.log shows no sbatch submission" >&2; exit 1; }
scontrol -o show jobs | grep -o "JobId=[0-9]* JobName=[^ ]*\|JobState=[A-Z]*\|BatchFlag=[0-9]" | paste - - - || true
python3 "$repo/scripts/ci/check_demo_verdicts.py" "$work/demo" "SLURM demo"

echo "== SLURM: the demo in chunks of input files (config batching), one job per chunk"
start=$(date +%s)
run_on_slurm chunked 2>&1 | tee "$work/chunked.log"
echo "chunked demo on SLURM took $(($(date +%s) - start)) s"
chunk_jobs=$(grep -c "rule chunk:" "$work/chunked.log" || true)
submitted=$(grep -c "submitted with SLURM jobid" "$work/chunked.log" || true)
echo "chunk jobs: $chunk_jobs; SLURM jobs submitted: $submitted (per-file run: $(grep -c "submitted with SLURM jobid" "$work/demo.log"))"
[ "$chunk_jobs" -ge 2 ] || { echo "expected the chunked path (rule chunk)" >&2; exit 1; }
python3 "$repo/scripts/ci/check_demo_verdicts.py" "$work/chunked" "SLURM chunked demo"
for verdict in "$work"/demo/results/inheritance/*.verdict.json; do
  cmp "$verdict" "$work/chunked/results/inheritance/$(basename "$verdict")" \
    || { echo "chunked and per-file verdicts differ: $(basename "$verdict")" >&2; exit 1; }
done
echo "verdict.json of every sample identical between the per-file and the chunked SLURM runs"

echo "== SLURM: a job on a truncated VCF must fail the run, clearly and without hanging"
start=$(date +%s)
set +e
run_on_slurm failing >"$work/failing.log" 2>&1
status=$?
set -e
echo "failing run exited with $status after $(($(date +%s) - start)) s"
if [ "$status" -eq 0 ] || [ "$status" -ge 124 ]; then
  tail -40 "$work/failing.log"
  echo "expected a non-zero exit before the timeout, got $status" >&2
  exit 1
fi
grep -E "Error in (rule|group)" "$work/failing.log" | sort -u
grep -h "ERROR.*truncated" "$work"/failing/results/logs/extract/*.log \
  || { echo "the extract log does not say the VCF is truncated" >&2; exit 1; }
echo "== SLURM checks passed"
