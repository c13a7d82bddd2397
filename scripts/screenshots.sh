#!/usr/bin/env bash
# Renders every screen of the game under Xvfb (software Vulkan) at 1280x720 and 1920x1080
# into docs/screenshots/. Needs: xvfb mesa-vulkan-drivers libvulkan1 (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FIRSTLINE_BIN:-target/release/firstline}
[ -x "$BIN" ] || cargo build --release
OUT=docs/screenshots
mkdir -p "$OUT"
SCENARIO=${SCENARIO:-laptop-intranet}
for size in 1280x720 1920x1080; do
  for screen in title browser play debrief progress instructor; do
    xvfb-run -a -s "-screen 0 1920x1080x24" \
      "$BIN" screenshot --screen "$screen" --scenario "$SCENARIO" --size "$size" \
      --out "$OUT/$screen-$size.png" >/dev/null 2>&1
    echo "$OUT/$screen-$size.png"
  done
done
