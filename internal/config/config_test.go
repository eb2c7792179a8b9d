package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func noEnv(string) string { return "" }

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
	c, err := Load("", noEnv)
	if err != nil || !reflect.DeepEqual(c, Default()) {
		t.Fatalf("Load(\"\") = %+v, %v", c, err)
	}
}

// TestExampleMatchesDefaults keeps config.example.toml and Default in step.
func TestExampleMatchesDefaults(t *testing.T) {
	c, err := Load("../../config.example.toml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Errorf("config.example.toml differs from Default():\n%+v\n%+v", c, Default())
	}
	// Every key of Default is documented in the example.
	raw, _ := os.ReadFile("../../config.example.toml")
	for _, k := range knownKeys() {
		leaf := k[strings.LastIndex(k, ".")+1:]
		if !strings.Contains(string(raw), leaf+" =") {
			t.Errorf("key %s is not in config.example.toml", k)
		}
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "NEWSBOT_DB": "/data/n.db"}
	c, err := Load(write(t, "[slack]\nbot_token = \"xoxb-file\"\n"), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Slack.BotToken != "xoxb-1" || c.Database.Path != "/data/n.db" || !c.SlackEnabled() {
		t.Errorf("env not applied: %+v", c)
	}
	if r := c.Redacted(); r.Slack.BotToken != "[redacted]" || c.Slack.BotToken != "xoxb-1" {
		t.Errorf("redacted: %q", r.Slack.BotToken)
	}
}

func TestRefusals(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"[slack]\nbot_tokn = \"x\"\n", `unknown key "slack.bot_tokn" (did you mean "slack.bot_token"?)`},
		{"[database]\nlock_timeout = 5\n", `lock_timeout`},
		{"[database]\nlock_timeout = \"soon\"\n", `expected a duration like "5s"`},
		{"[alerts]\nthreshold = 1.5\n", `alerts.threshold: expected an expected precision between 0 and 1`},
		{"[log]\nlevel = \"loud\"\n", `log.level: expected debug, info, warn or error, got "loud"`},
		{"[matrix]\nhomeserver = \"matrix.example.org\"\n", `matrix.homeserver: expected an http(s) URL`},
		{"[slack]\nbot_token = \"abc\"\n", `slack.bot_token: expected a bot token starting with "xoxb-"`},
		{"[slack]\nbot_token = \"xoxb-1\"\nmode = \"http\"\n", `slack.signing_secret: required in http mode`},
		{"[admins]\nusers = [\"U123\"]\n", `admins.users: expected "platform:user"`},
		{"[slack.commands]\nwho_said = \"who-said\"\n", `slack.commands.who_said: expected a slash command`},
		{"[limits]\nreply_max_statements = \"ten\"\n", `reply_max_statements`},
		{"this is not toml", `line 1`},
	} {
		_, err := Load(write(t, c.body), noEnv)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to say %q", c.body, err, c.want)
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := Default()
	c.Log.Format = "xml"
	c.Alerts.WindowDays = 0
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "log.format") || !strings.Contains(err.Error(), "alerts.window_days") {
		t.Errorf("%v", err)
	}
}

func TestDurationRoundTrip(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("1m30s")); err != nil || d.Duration() != 90*time.Second {
		t.Errorf("%v %v", d, err)
	}
	if b, _ := d.MarshalText(); string(b) != "1m30s" {
		t.Errorf("%s", b)
	}
}
