#!/usr/bin/env bash
# Installs what Firstline needs on a fresh Debian/Ubuntu machine: a C toolchain and Rust,
# plus Python with venv/pip for Ralph, the xAPI LRS tests/lrs_ralph.rs runs (scripts/ralph.sh),
# and xmllint + npm for the SCORM 1.2 schema check in tests/lms_package.rs (scripts/scorm-xsd.sh).
# Safe to run again. Uses sudo when not root.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends build-essential pkg-config curl ca-certificates git libwayland-dev libxkbcommon-dev xvfb xauth mesa-vulkan-drivers libvulkan1 python3 python3-venv python3-pip libxml2-utils
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y --no-install-recommends npm
fi
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    :
  else
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  fi
fi
