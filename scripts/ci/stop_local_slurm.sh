#!/usr/bin/env bash
# Stop the daemons scripts/ci/start_local_slurm.sh started in DIR, by their recorded PIDs only.
set -uo pipefail

dir=${1:?usage: stop_local_slurm.sh DIR}
for daemon in slurmd slurmctld munged; do
  pid_file="$dir/pids/$daemon.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "stop_local_slurm: $daemon ($pid) ignored SIGTERM, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$pid_file"
done
if [ -f "$dir/pids/etc-link" ] && [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$dir/slurm.conf" ]; then
  rm -f /etc/slurm/slurm.conf "$dir/pids/etc-link"
fi
echo "stop_local_slurm: stopped"
