#!/usr/bin/env bash
# Build the main environment's Apptainer image from workflow/envs/trpm6.def (Debian's mirror and PyPI).
#
#   scripts/ci/build_image.sh IMAGE.sif      (apptainer on PATH; root uses --fakeroot, see below)
#
# The machine's CA bundle is bound at /mnt, so pip also works behind a proxy that re-signs TLS.
# About 2-3 minutes; the full build log goes to IMAGE.sif.log and its tail is printed on failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
image=$(realpath -m "${1:?usage: build_image.sh IMAGE.sif}")
mkdir -p "$(dirname "$image")"
# Root on these VMs lacks one capability a plain root build asks for; --fakeroot builds in a user namespace.
fakeroot=()
[[ $(id -u) == 0 ]] && fakeroot=(--fakeroot)
start=$SECONDS
if ! (cd "$repo" && apptainer build "${fakeroot[@]}" --force --bind /etc/ssl/certs:/mnt "$image" \
    workflow/envs/trpm6.def) >"$image.log" 2>&1; then
    tail -n 40 "$image.log"
    echo "build_image.sh: error: building $image failed (full log: $image.log)" >&2
    exit 1
fi
echo "built $image ($(du -h "$image" | cut -f1)) in $((SECONDS - start)) s"
