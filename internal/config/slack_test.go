package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSlackAlertUsers(t *testing.T) {
	for _, tc := range []struct {
		value string
		ok    bool
	}{{`["U0123ABCD", "slack:W999"]`, true}, {`[]`, true}, {`["C0123"]`, false}, {`["ann"]`, false}, {`[""]`, false}} {
		path := filepath.Join(t.TempDir(), "c.toml")
		if err := os.WriteFile(path, []byte("[slack]\nalert_users = "+tc.value+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, nil)
		if tc.ok != (err == nil) {
			t.Errorf("alert_users = %s: err %v", tc.value, err)
		}
		if err != nil && !strings.Contains(err.Error(), "slack.alert_users") {
			t.Errorf("error does not name the key: %v", err)
		}
		if tc.ok && tc.value != "[]" && len(c.Slack.AlertUsers) != 2 {
			t.Errorf("alert_users = %v", c.Slack.AlertUsers)
		}
	}
}
