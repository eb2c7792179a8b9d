package main

import (
	"path/filepath"

	"newsbot/internal/chat/matrix"
	"newsbot/internal/commands"
)

// addMatrix adds the Matrix adapter when the configuration enables it.
func addMatrix(d chatDeps, out *[]chatAdapter) error {
	c := d.Config
	if !c.MatrixEnabled() {
		return nil
	}
	var known func(string) bool
	if l, ok := d.Dispatcher.(interface {
		Lookup(string) (commands.Command, bool)
	}); ok {
		known = func(name string) bool { _, ok := l.Lookup(name); return ok }
	}
	// A relative crypto store lives beside the database.
	crypto := c.Matrix.CryptoDB
	if crypto != "" && !filepath.IsAbs(crypto) {
		crypto = filepath.Join(filepath.Dir(c.Database.Path), crypto)
	}
	a, err := matrix.New(matrix.Options{Config: c.Matrix, Admins: c.Admins.Users, Store: d.Store,
		Dispatcher: d.Dispatcher, Known: known, MaxFileBytes: c.Ingest.MaxBytes, CryptoPath: crypto, Logger: d.Log})
	if err != nil {
		return err
	}
	*out = append(*out, a)
	return nil
}
