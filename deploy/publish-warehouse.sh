#!/usr/bin/env bash
# Publish a built warehouse to every machine that serves it, so that each switches at once.
#
#   deploy/publish-warehouse.sh WAREHOUSE DEST [DEST ...]
#
# DEST is host:/srv/vocdash/warehouse.duckdb (over ssh) or a path on this machine.
# Stage 1 copies the file beside each target under a temporary name (same directory, so the
# same filesystem) and checks its SHA-256 there. Only when every copy is whole does stage 2
# rename each one onto its target: rename(2) within a directory is atomic, so a process
# opening the path gets the old file or the new one, never part of one, and every app process
# notices the new file by its stamp on its next run. If stage 1 fails anywhere, the copies
# are removed and no machine changes.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 WAREHOUSE DEST [DEST ...]   (DEST: host:/path/warehouse.duckdb or /path/warehouse.duckdb)" >&2
  exit 2
fi
source_file=$1
shift
[ -f "$source_file" ] || { echo "$source_file: no such file" >&2; exit 2; }
want=$(sha256sum "$source_file" | cut -d' ' -f1)
stamp="incoming-$(date +%Y%m%d%H%M%S)-$$"

host_of() { case $1 in *:*) echo "${1%%:*}";; *) echo "";; esac; }
path_of() { case $1 in *:*) echo "${1#*:}";; *) echo "$1";; esac; }
# Run a command on the destination's machine (paths are checked to need no quoting).
on() { local host=$1; shift; if [ -n "$host" ]; then ssh -o BatchMode=yes "$host" "$*"; else bash -c "$*"; fi; }

staged=()
cleanup() {
  for entry in "${staged[@]}"; do
    on "${entry%%|*}" "rm -f ${entry#*|}" || true
  done
}
trap cleanup EXIT

for dest in "$@"; do
  host=$(host_of "$dest")
  path=$(path_of "$dest")
  if ! [[ $path =~ ^/[A-Za-z0-9._/-]+$ ]]; then
    echo "$dest: give an absolute path of letters, digits and ._/- only" >&2
    exit 2
  fi
  temporary="$(dirname "$path")/.$(basename "$path").$stamp"
  staged+=("$host|$temporary")
  echo "copying to ${host:-this machine}:$temporary"
  got=$(on "$host" "cat > $temporary && sync $temporary && sha256sum $temporary" < "$source_file" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    echo "${host:-this machine}:$temporary: SHA-256 $got, expected $want: nothing published" >&2
    exit 1
  fi
done

for index in "${!staged[@]}"; do
  entry=${staged[$index]}
  host=${entry%%|*}
  temporary=${entry#*|}
  path=$(path_of "${@:$((index + 1)):1}")
  on "$host" "mv -f $temporary $path"
  echo "published ${host:-this machine}:$path"
done
staged=()
