#!/usr/bin/env bash
# `make serve` and the proxy tests put Debian's nginx in front of several app processes.
# It runs from a config and directories of our own (deploy/serve.py), never /etc/nginx.
# Installs it with apt when missing and running as root; otherwise says what to run.
set -euo pipefail
# /usr/sbin is not on an ordinary user's PATH on Debian.
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing nginx with apt-get"
  # Wait for another apt run to finish rather than fail on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nginx >/dev/null
  exit 0
fi
echo "make serve and its tests need nginx. Install it with:" >&2
echo "  sudo apt-get install -y nginx" >&2
exit 1
