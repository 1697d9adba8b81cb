#!/usr/bin/env bash
# The download tests render every deck and workbook they fetch with LibreOffice (to PDF,
# then PNG and text boxes with poppler), as a director opening the file would see it.
# Installs Debian's Impress and Calc when missing and running as root; otherwise says
# what to run. The -nogui flavours are Debian's same Impress and Calc without the desktop
# front end: they render headless alike and sit beside a libreoffice-core-nogui that
# another package may have installed (the GUI libreoffice-impress would remove it).
set -euo pipefail
has() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
need=()
has libreoffice-impress || has libreoffice-impress-nogui || need+=(libreoffice-impress-nogui)
has libreoffice-calc || has libreoffice-calc-nogui || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${need[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi
echo "The office render tests need: ${need[*]}. Install them with:" >&2
echo "  sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
exit 1
