//go:build tools

// Package tools pins the Dendrite homeserver used by the Matrix integration
// tests. It is a separate module so the bot's go.mod stays free of
// Dendrite's dependencies; .ci/dendrite.sh builds the binaries from it.
package tools

import (
	_ "github.com/element-hq/dendrite/cmd/create-account"
	_ "github.com/element-hq/dendrite/cmd/dendrite"
	_ "github.com/element-hq/dendrite/cmd/generate-config"
	_ "github.com/element-hq/dendrite/cmd/generate-keys"
)
