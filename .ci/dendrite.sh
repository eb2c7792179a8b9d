#!/usr/bin/env bash
# Builds the Dendrite homeserver the Matrix integration tests run against, from
# the pinned tools module tools/dendrite (static, no cgo), into a cache
# directory that is reused when the binaries are already there. Prints the bin
# directory on stdout, so:  export NEWSBOT_DENDRITE_BIN=$(.ci/dendrite.sh)
set -euo pipefail
cd "$(dirname "$0")/../tools/dendrite"

version=$(go list -m -f '{{.Version}}' github.com/element-hq/dendrite)
cache=${NEWSBOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsbot}
bin="$cache/dendrite-$version/bin"
tools=(dendrite generate-config generate-keys create-account)

ok=1
for t in "${tools[@]}"; do [ -x "$bin/$t" ] || ok=0; done
if [ "$ok" = 0 ]; then
	mkdir -p "$bin"
	tmp=$(mktemp -d "$bin/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	pkgs=()
	for t in "${tools[@]}"; do pkgs+=("github.com/element-hq/dendrite/cmd/$t"); done
	echo "building dendrite $version into $bin (takes a few minutes)" >&2
	CGO_ENABLED=0 go build -trimpath -o "$tmp/" "${pkgs[@]}" >&2
	# Move into place only once every binary is built, so an interrupted
	# build never leaves a half-filled cache that looks complete.
	for t in "${tools[@]}"; do mv "$tmp/$t" "$bin/$t"; done
fi
echo "$bin"
