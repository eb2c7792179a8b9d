//go:build !goolm

package matrix

import (
	"context"
	"log/slog"

	"maunium.net/go/mautrix"
)

// cryptoAvailable: this build cannot join encrypted rooms (it was built
// without -tags goolm).
const cryptoAvailable = false

func setupCrypto(ctx context.Context, cli *mautrix.Client, path string, pickleKey []byte, log *slog.Logger) (func() error, bool, error) {
	return nil, false, errNoCryptoBuild
}
