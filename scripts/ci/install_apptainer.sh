#!/usr/bin/env bash
# Install Apptainer on a Debian 12 CI machine (root), for the `--sdm apptainer` check.
#
#   scripts/ci/install_apptainer.sh
#
# Debian 12 has no apptainer package; Debian unstable has one, built against a newer C library (>= 2.38)
# than Debian 12's. So this takes both packages from Debian unstable through apt (signatures checked),
# unpacks them without installing, keeps that C library in /opt/apptainer-glibc for apptainer's two
# binaries only (their ELF interpreter and library path point there) and leaves the system's own alone.
# A cluster with Apptainer installed by its administrators needs none of this.
set -euo pipefail

glibc_dir=/opt/apptainer-glibc
work=$(mktemp -d /tmp/apptainer-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

export DEBIAN_FRONTEND=noninteractive
# squashfs-tools: SIF images; debootstrap: the image recipe's base; uidmap: `apptainer build --fakeroot`;
# patchelf: points the two binaries at the newer C library.
apt-get install -y -qq --no-install-recommends squashfs-tools debootstrap uidmap patchelf ca-certificates \
    >/dev/null

mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" \
    >"$work/sources.list"
apt_unstable=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root")
apt-get "${apt_unstable[@]}" update -qq
(cd "$work" && apt-get "${apt_unstable[@]}" download apptainer libc6 >/dev/null)
dpkg-deb -x "$work"/apptainer_*.deb "$work/root"
dpkg-deb -x "$work"/libc6_*.deb "$work/root"

multiarch=/usr/lib/x86_64-linux-gnu
rm -rf "$glibc_dir" && mkdir -p "$glibc_dir"
cp -a "$work/root$multiarch"/*.so* "$glibc_dir/"
cp -a "$multiarch"/libseccomp.so.2* "$multiarch"/libsqlite3.so.0* "$glibc_dir/"
cp -a "$work/root/etc/apptainer" /etc/
rm -rf "$multiarch/apptainer" && cp -a "$work/root$multiarch/apptainer" "$multiarch/"
install -m 0755 "$work/root/usr/bin/apptainer" /usr/bin/apptainer
for binary in /usr/bin/apptainer "$multiarch/apptainer/bin/starter"; do
    patchelf --set-interpreter "$glibc_dir/ld-linux-x86-64.so.2" --set-rpath "$glibc_dir" "$binary"
done
mkdir -p /var/lib/apptainer/mnt/session

# These VMs withhold one capability (CAP_SYS_RESOURCE) from root, so containers keep root's file-listed
# capabilities rather than all of them, and images are built with --fakeroot, which maps root to a
# subordinate id range.
sed -i 's/^root default capabilities = full$/root default capabilities = file/' /etc/apptainer/apptainer.conf
grep -q '^root:' /etc/subuid || echo 'root:100000:65536' >>/etc/subuid
grep -q '^root:' /etc/subgid || echo 'root:100000:65536' >>/etc/subgid

apptainer --version
