#!/usr/bin/env bash
# Renders every screen of the game under Xvfb (software Vulkan) at 1280x720 and 1920x1080
# into docs/screenshots/, plus the play screen at its most crowded (the moment of the
# bundled play-tests with the most replies and questions) at the sizes and UI scales the
# layout test checks. Needs: xvfb mesa-vulkan-drivers libvulkan1 (scripts/setup.sh).
# FIRSTLINE_BIN picks the binary (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FIRSTLINE_BIN:-target/release/firstline}
[ -x "$BIN" ] || cargo build --release
OUT=docs/screenshots
mkdir -p "$OUT"
SCENARIO=${SCENARIO:-laptop-intranet}
shot() {
  xvfb-run -a -s "-screen 0 2560x1440x24" "$BIN" screenshot "$@" >/dev/null 2>&1
}
for size in 1280x720 1920x1080; do
  for screen in title browser play debrief progress instructor; do
    shot --screen "$screen" --scenario "$SCENARIO" --size "$size" --out "$OUT/$screen-$size.png"
    echo "$OUT/$screen-$size.png"
  done
done
# The crowded moment: laptop-wont-boot, seed 5, after 7 expert actions (8 replies and
# 4 questions on screen), as tests/game_layout.rs finds it.
for size in 1024x640 1280x800 1920x1080; do
  for scale in 1.0 1.5; do
    f="$OUT/play-crowded-$size@$scale.png"
    shot --screen play --scenario laptop-wont-boot --seed 5 --actions 7 --size "$size" --scale "$scale" --out "$f"
    echo "$f"
  done
done
shot --screen play --scenario laptop-wont-boot --seed 5 --actions 7 --size 1280x800 --light --out "$OUT/play-light-1280x800.png"
echo "$OUT/play-light-1280x800.png"
