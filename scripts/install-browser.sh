#!/usr/bin/env bash
# Install Debian's chromium, chromium-driver and a Chinese font (labels are Chinese) for the
# browser tests, where missing.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
chromium --version
