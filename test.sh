#!/usr/bin/env bash
# The whole test suite: every package, the race detector on, data-driven
# tests reading ../shared when it is there.
set -euo pipefail
cd "$(dirname "$0")"
go test -race -count=1 -timeout 30m ./... "$@"
