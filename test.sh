#!/usr/bin/env bash
# The whole test suite: every package with the race detector, the pure-Go
# Matrix crypto (goolm) compiled in, the Matrix integration test against a
# real Dendrite (built once from the Go module proxy and cached), and the
# data-driven tests reading ../shared when it is there.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${NEWSBOT_DENDRITE_BIN:-}" ]; then
	NEWSBOT_DENDRITE_BIN=$(.ci/dendrite.sh)
	export NEWSBOT_DENDRITE_BIN
fi
(cd standins/go-dateparser && go test -count=1 ./...)
go test -race -count=1 -timeout 30m -tags goolm ./... "$@"
