//go:build goolm

package matrix

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	_ "modernc.org/sqlite" // pure-Go SQLite: the crypto store needs no cgo
)

// cryptoAvailable: this build can join encrypted rooms.
const cryptoAvailable = true

// setupCrypto turns on end-to-end encryption for cli with mautrix's crypto
// helper. Its Olm account, sessions and room state live in the SQLite file
// at path (mautrix's SQL crypto store on the pure-Go modernc driver), so
// the device keeps its keys across restarts. fresh reports that the file
// did not exist: the caller must then sync from scratch, since the room
// state the crypto needs (members, encryption) was never recorded.
func setupCrypto(ctx context.Context, cli *mautrix.Client, path string, pickleKey []byte, log *slog.Logger) (closer func() error, fresh bool, err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fresh = true
		// The file holds the device's keys: readable by the bot only.
		// SQLite gives its -wal and -shm files the same mode.
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("create crypto store: %w", err)
		}
		f.Close()
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, false, fmt.Errorf("open crypto store %s: %w", path, err)
	}
	db, err := dbutil.NewWithDB(raw, "sqlite")
	if err != nil {
		raw.Close()
		return nil, false, fmt.Errorf("open crypto store %s: %w", path, err)
	}
	cli.StateStore = nil // the helper keeps room state in the same database
	helper, err := cryptohelper.NewCryptoHelper(cli, pickleKey, db)
	if err != nil {
		db.Close()
		return nil, false, fmt.Errorf("crypto: %w", err)
	}
	helper.DecryptErrorCallback = func(evt *event.Event, err error) {
		log.Warn("cannot decrypt a matrix event", "room", evt.RoomID, "event", evt.ID, "sender", evt.Sender, "err", err)
	}
	if err := helper.Init(ctx); err != nil {
		helper.Close()
		return nil, false, fmt.Errorf("crypto: %w", err)
	}
	cli.Crypto = helper
	return helper.Close, fresh, nil
}
