#!/usr/bin/env bash
# Fetches one Debian package for a foreign architecture and extracts it, without touching the
# host's apt state: apt runs with private lists and cache directories, so no `dpkg
# --add-architecture` is needed and the host's package lists stay as they were.
#
# usage: scripts/fetch-deb.sh ARCH PACKAGE DEST
#   ARCH     Debian architecture (arm64, armhf, ppc64el, ...)
#   PACKAGE  binary package name (busybox-static, ...)
#   DEST     directory the package's files are extracted into (DEST/bin/busybox, ...)
#
# The result is cached: when DEST already holds a complete extraction of the same package and
# architecture, nothing is downloaded. Apt state lives in $TSEMU_DEB_CACHE (default .cache/debs in
# the repository), one private state per architecture. A failing index (one unreachable suite) is
# tolerated; the download is the real check. Concurrent calls (test files running side by side)
# take turns on one lock in the cache, so they never share a half-written index, .deb or DEST.
# Absolute symbolic links in DEST are made relative to DEST, as tools that make sysroots do: under
# -L an absolute target would name the host's file, for tsemu and qemu alike (ppc64el's
# /lib64/ld64.so.2 -> /lib/powerpc64le-linux-gnu/ld64.so.2 would load no interpreter).
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 ARCH PACKAGE DEST" >&2
  exit 2
fi
arch=$1
package=$2
dest=$3

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cache=${TSEMU_DEB_CACHE:-$repo_root/.cache/debs}
marker="$dest/.fetched-$package-$arch"

if [ -f "$marker" ]; then
  exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/fetch.lock"
flock 9
if [ -f "$marker" ]; then
  exit 0
fi

state="$cache/apt-$arch"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$cache/pool"
# Private apt configuration: the host's sources, our own lists/cache, and the foreign
# architecture as the only one. The empty status file keeps apt from reading the host's
# installed-package database (whose architectures would conflict with ours).
: > "$state/status"
apt_opts=(
  -o "Dir::State::Lists=$state/lists"
  -o "Dir::State::status=$state/status"
  -o "Dir::Cache=$state/cache"
  -o "APT::Architecture=$arch"
  -o "APT::Architectures=$arch"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=$(id -un)"
)

update_index() {
  local attempt
  for attempt in 1 2 3; do
    if apt-get "${apt_opts[@]}" -q update >&2; then
      return 0
    fi
    echo "fetch-deb: apt-get update failed (attempt $attempt), retrying" >&2
    sleep $((attempt * 2))
  done
  echo "fetch-deb: apt-get update kept failing; trying the download with what was fetched" >&2
}

# Refresh the index only when it is missing or older than a day.
if [ -z "$(find "$state/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 -print -quit)" ]; then
  update_index
fi

# The package's .deb: built for $arch, or for every architecture (Architecture: all, e.g. scripts
# and data such as Node's JavaScript builtins).
find_deb() {
  find "$cache/pool" -maxdepth 1 \( -name "${package}_*_${arch}.deb" -o -name "${package}_*_all.deb" \) -print -quit
}
deb=$(find_deb)
if [ -z "$deb" ]; then
  (cd "$cache/pool" && { apt-get "${apt_opts[@]}" -q download "$package:$arch" >&2 ||
    apt-get "${apt_opts[@]}" -q download "$package" >&2; })
  deb=$(find_deb)
fi
if [ -z "$deb" ]; then
  echo "fetch-deb: could not download $package for $arch" >&2
  exit 1
fi

mkdir -p "$dest"
dpkg-deb -x "$deb" "$dest"
find "$dest" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
  ln -sfn "$(realpath -s -m --relative-to="$(dirname "$link")" "$dest$(readlink "$link")")" "$link"
done
basename "$deb" > "$marker"
