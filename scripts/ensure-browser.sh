#!/usr/bin/env bash
# The browser tests need Debian's Chromium and a CJK font (without one every Chinese
# character renders as a box). Playwright's own browser download does not work here.
# Installs both with apt when missing and running as root; otherwise says what to run.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${need[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi
echo "The browser tests need: ${need[*]}. Install them with:" >&2
echo "  sudo apt-get install -y ${need[*]}" >&2
exit 1
