#!/usr/bin/env bash
# Stop the daemons scripts/ci/start_local_slurm.sh started in DIR, by their recorded PIDs only.
set -uo pipefail

dir=${1:?usage: stop_local_slurm.sh DIR}
# A stopped daemon whose parent is gone can linger as a zombie until init reaps it: that counts as stopped.
alive() { kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]; }

for daemon in slurmd slurmctld munged; do
  pid_file="$dir/pids/$daemon.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
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
