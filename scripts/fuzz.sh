#!/usr/bin/env bash
# Runs every fuzz target in the module for a while each.
#   scripts/fuzz.sh            10s a target (what CI runs)
#   scripts/fuzz.sh 10m        longer, by hand
# New crashers land in the package's testdata/fuzz/FuzzX/ as usual: commit
# them with the fix, and they become regression seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-10s}
status=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		echo "== fuzz $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
			status=1
		fi
	done
done
exit $status
