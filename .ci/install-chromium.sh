#!/bin/sh
# Installs Debian's Chromium for the dashboard's browser test when it is missing.
# playwright-core drives it at /usr/bin/chromium; Playwright's own browser download is never used.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version
