#!/bin/sh
# Vendor the body editor (Jodit, MIT) into static/vendor/ — run by a developer when the pinned
# version changes, never at deploy or run time: the page loads the committed copy only (the
# CSP allows 'self'; the console works offline). Needs npm (Node 20) and network access to
# the npm registry. The tarball is checked against the pinned integrity before use.
#
#   tools/vendor-editor.sh            # fetch, verify, copy into static/vendor/jodit-$VERSION/
#
# After changing VERSION/INTEGRITY: update the <script>/<link> paths in
# templates/publishing/item_form.html and the dependency list in README.md, delete the old
# static/vendor/jodit-*/ directory, and run the editor's browser test
# (gongkai/publishing/tests/test_browser_editor.py).
set -eu

VERSION=4.15.13
INTEGRITY=sha512-7/0Q85OgtHIIn8qF/tw5CBT2qFdrbbcqxbjS5Z3+jJls+sxGwWLPLFv0heXDqoDsNF0lNUHQity9vC0ErOgKDg==

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/static/vendor/jodit-$VERSION"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "jodit@$VERSION" >/dev/null
TARBALL="jodit-$VERSION.tgz"
GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | openssl base64 -A)"
if [ "$GOT" != "$INTEGRITY" ]; then
    echo "jodit-$VERSION: integrity mismatch (got $GOT)" >&2
    exit 1
fi
tar xzf "$TARBALL"

rm -rf "$DEST"
mkdir -p "$DEST"
# The ES2021 build with every language (the console is zh-CN: zh_cn is inside jodit.min.js).
cp package/es2021/jodit.min.js package/es2021/jodit.min.css "$DEST/"
cp package/LICENSE.txt "$DEST/LICENSE.txt"
printf 'jodit %s (MIT) from the npm registry, %s\nfiles: es2021/jodit.min.js es2021/jodit.min.css LICENSE.txt\nvendored by tools/vendor-editor.sh\n' \
    "$VERSION" "$INTEGRITY" > "$DEST/VERSION.txt"
echo "vendored jodit $VERSION into ${DEST#"$ROOT"/}"
