// Package config reads newsbot's TOML configuration. Secrets may come from
// the environment instead of the file; an unknown key or an invalid value
// is refused with the key's name and what is expected.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Duration is a time.Duration written as a string ("2s", "15m").
type Duration time.Duration

// Duration converts to time.Duration.
func (d Duration) Duration() time.Duration { return time.Duration(d) }

// UnmarshalText parses "2s", "1m30s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("expected a duration like \"5s\" or \"15m\", got %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as Go does ("2s").
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Config is the whole configuration.
type Config struct {
	Database Database `toml:"database"`
	Log      Log      `toml:"log"`
	Admins   Admins   `toml:"admins"`
	Slack    Slack    `toml:"slack"`
	Matrix   Matrix   `toml:"matrix"`
	Ingest   Ingest   `toml:"ingest"`
	Feeds    Feeds    `toml:"feeds"`
	Alerts   Alerts   `toml:"alerts"`
	HTTP     HTTP     `toml:"http"`
	Limits   Limits   `toml:"limits"`
}

// Database is where statements are stored.
type Database struct {
	Path        string   `toml:"path"`
	LockTimeout Duration `toml:"lock_timeout"`
}

// Log configures log/slog output (stderr).
type Log struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// Admins may run admin commands.
type Admins struct {
	// Users are "platform:user" ids: "slack:U123", "matrix:@ana:example.org".
	Users []string `toml:"users"`
}

// Slack configures the Slack adapter.
type Slack struct {
	BotToken        string            `toml:"bot_token"`
	AppToken        string            `toml:"app_token"`
	SigningSecret   string            `toml:"signing_secret"`
	Mode            string            `toml:"mode"`
	Listen          string            `toml:"listen"`
	Commands        map[string]string `toml:"commands"`
	AlertChannels   []string          `toml:"alert_channels"`
	AlertUsers      []string          `toml:"alert_users"`
	ReplyVisibility string            `toml:"reply_visibility"`
	APIURL          string            `toml:"api_url"`
}

// Matrix configures the Matrix adapter.
type Matrix struct {
	Homeserver     string   `toml:"homeserver"`
	UserID         string   `toml:"user_id"`
	AccessToken    string   `toml:"access_token"`
	Password       string   `toml:"password"`
	DeviceID       string   `toml:"device_id"`
	AllowedUsers   []string `toml:"allowed_users"`
	AllowedServers []string `toml:"allowed_servers"`
	AlertRooms     []string `toml:"alert_rooms"`
	CommandPrefix  string   `toml:"command_prefix"`
	Encryption     bool     `toml:"encryption"`
	CryptoDB       string   `toml:"crypto_db"`
	PickleKey      string   `toml:"pickle_key"`
}

// Ingest bounds fetching and articles.
type Ingest struct {
	UserAgent               string   `toml:"user_agent"`
	MaxBytes                int64    `toml:"max_bytes"`
	ConnectTimeout          Duration `toml:"connect_timeout"`
	ReadTimeout             Duration `toml:"read_timeout"`
	AllowHosts              []string `toml:"allow_hosts"`
	MaxArticleChars         int      `toml:"max_article_chars"`
	MaxStatementsPerArticle int      `toml:"max_statements_per_article"`
}

// Feeds configures the RSS/Atom poller.
type Feeds struct {
	DefaultInterval Duration `toml:"default_interval"`
	MinInterval     Duration `toml:"min_interval"`
}

// Alerts configures contradiction alerts.
type Alerts struct {
	// Threshold is the expected precision an alert must reach, 0 to 1.
	Threshold  float64 `toml:"threshold"`
	WindowDays int     `toml:"window_days"`
}

// HTTP is the optional operations listener (/healthz, /metrics).
type HTTP struct {
	Listen string `toml:"listen"`
}

// Limits protect the bot and the channels.
type Limits struct {
	ReplyMaxStatements int `toml:"reply_max_statements"`
	CommandsPerMinute  int `toml:"commands_per_minute"`
}

// Default is the configuration with no file and no environment.
func Default() Config {
	return Config{
		Database: Database{Path: "newsbot.db", LockTimeout: Duration(2 * time.Second)},
		Log:      Log{Level: "info", Format: "text"},
		Admins:   Admins{Users: []string{}},
		Slack: Slack{Mode: "socket", Listen: "127.0.0.1:3000",
			Commands: map[string]string{"who_said": "/who-said", "status": "/status", "ingest": "/ingest",
				"newsbot": "/newsbot"},
			AlertChannels: []string{}, AlertUsers: []string{}, ReplyVisibility: "in_channel"},
		Matrix: Matrix{AllowedUsers: []string{}, AllowedServers: []string{}, AlertRooms: []string{},
			CommandPrefix: "!", Encryption: true, CryptoDB: "newsbot-crypto.db"},
		Ingest: Ingest{UserAgent: "newsbot/0.1 (+https://example.org/newsbot)", MaxBytes: 10 << 20,
			ConnectTimeout: Duration(10 * time.Second), ReadTimeout: Duration(30 * time.Second),
			AllowHosts: []string{}, MaxArticleChars: 1_000_000, MaxStatementsPerArticle: 2000},
		Feeds:  Feeds{DefaultInterval: Duration(15 * time.Minute), MinInterval: Duration(time.Minute)},
		Alerts: Alerts{Threshold: 0.8, WindowDays: 90},
		Limits: Limits{ReplyMaxStatements: 20, CommandsPerMinute: 30},
	}
}

// envVars maps environment variables to the settings they override.
func envVars(c *Config) map[string]*string {
	return map[string]*string{
		"SLACK_BOT_TOKEN":      &c.Slack.BotToken,
		"SLACK_APP_TOKEN":      &c.Slack.AppToken,
		"SLACK_SIGNING_SECRET": &c.Slack.SigningSecret,
		"MATRIX_ACCESS_TOKEN":  &c.Matrix.AccessToken,
		"MATRIX_PASSWORD":      &c.Matrix.Password,
		"MATRIX_PICKLE_KEY":    &c.Matrix.PickleKey,
		"NEWSBOT_DB":           &c.Database.Path,
	}
}

// Load reads the file at path over the defaults (path "": defaults only),
// applies environment overrides (env is os.Getenv, or a map lookup in
// tests) and validates the result.
func Load(path string, env func(string) string) (Config, error) {
	if path == "" {
		return parse("", "", env)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return Default(), fmt.Errorf("config: %w", err)
	}
	return parse(string(raw), path, env)
}

// Parse reads TOML text over the defaults, then applies the environment and
// validates, as Load does for a file; name is used in error messages.
func Parse(text, name string, env func(string) string) (Config, error) {
	if name == "" {
		name = "(text)"
	}
	return parse(text, name, env)
}

// parse is Load and Parse; name "" means there was no file at all.
func parse(text, name string, env func(string) string) (Config, error) {
	c := Default()
	if name != "" {
		md, err := toml.Decode(text, &c)
		if err != nil {
			return c, fmt.Errorf("config %s: %w", name, explain(err))
		}
		if extra := md.Undecoded(); len(extra) > 0 {
			var errs []error
			for _, k := range extra {
				errs = append(errs, unknownKey(k.String()))
			}
			return c, fmt.Errorf("config %s: %w", name, errors.Join(errs...))
		}
	}
	path := name
	if env != nil {
		for name, dst := range envVars(&c) {
			if v := env(name); v != "" {
				*dst = v
			}
		}
	}
	if err := c.Validate(); err != nil {
		if path == "" {
			return c, fmt.Errorf("config (environment): %w", err)
		}
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// explain makes a TOML decoding error name the key and what was expected.
func explain(err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Position.Line > 0 {
			msg = fmt.Sprintf("line %d: %s", pe.Position.Line, msg)
		}
		if pe.LastKey != "" {
			msg = fmt.Sprintf("key %q: %s", pe.LastKey, msg)
		}
		return errors.New(msg)
	}
	return err
}

func unknownKey(k string) error {
	known := knownKeys()
	best, dist := "", 4
	for _, cand := range known {
		if d := distance(k, cand); d < dist {
			best, dist = cand, d
		}
	}
	if best != "" {
		return fmt.Errorf("unknown key %q (did you mean %q?)", k, best)
	}
	return fmt.Errorf("unknown key %q", k)
}

// knownKeys lists every settable key, for suggestions.
func knownKeys() []string {
	var keys []string
	c := Default()
	md, err := toml.Decode(mustEncode(c), &c)
	if err != nil {
		return nil
	}
	for _, k := range md.Keys() {
		if md.Type(k...) == "Hash" {
			continue // a table, not a setting
		}
		keys = append(keys, k.String())
	}
	return keys
}

func mustEncode(c Config) string {
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(c); err != nil {
		return ""
	}
	return b.String()
}

// distance is the Levenshtein distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// SlackEnabled reports whether Slack is configured: a bot token is set.
func (c Config) SlackEnabled() bool { return c.Slack.BotToken != "" }

// MatrixEnabled reports whether Matrix is configured: a homeserver and a
// way to log in.
func (c Config) MatrixEnabled() bool {
	return c.Matrix.Homeserver != "" && (c.Matrix.AccessToken != "" || c.Matrix.Password != "")
}

// Validate checks every value and names each invalid one with what is
// expected.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if c.Database.Path == "" {
		bad("database.path", "must not be empty")
	}
	if c.Database.LockTimeout <= 0 {
		bad("database.lock_timeout", "expected a positive duration like \"2s\"")
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		bad("log.level", "expected debug, info, warn or error, got %q", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "expected text or json, got %q", c.Log.Format)
	}
	for _, u := range c.Admins.Users {
		p, id, ok := strings.Cut(u, ":")
		if !ok || id == "" || !slices.Contains([]string{"slack", "matrix", "console", "cli"}, p) {
			bad("admins.users", "expected \"platform:user\" with platform slack or matrix, got %q", u)
		}
	}
	if c.SlackEnabled() {
		if !strings.HasPrefix(c.Slack.BotToken, "xoxb-") {
			bad("slack.bot_token", "expected a bot token starting with \"xoxb-\"")
		}
		switch c.Slack.Mode {
		case "socket":
			if !strings.HasPrefix(c.Slack.AppToken, "xapp-") {
				bad("slack.app_token", "expected an app-level token starting with \"xapp-\" (needed in socket mode)")
			}
		case "http":
			if c.Slack.SigningSecret == "" {
				bad("slack.signing_secret", "required in http mode")
			}
		}
	}
	if c.Slack.Mode != "socket" && c.Slack.Mode != "http" {
		bad("slack.mode", "expected socket or http, got %q", c.Slack.Mode)
	}
	if c.Slack.Listen != "" {
		if _, err := netip.ParseAddrPort(c.Slack.Listen); err != nil && !strings.HasPrefix(c.Slack.Listen, ":") {
			bad("slack.listen", "expected host:port like \"127.0.0.1:3000\", got %q", c.Slack.Listen)
		}
	}
	for key, name := range c.Slack.Commands {
		if !slices.Contains([]string{"who_said", "status", "ingest", "newsbot"}, key) {
			bad("slack.commands."+key, "unknown command; expected who_said, status, ingest or newsbot")
		}
		if !strings.HasPrefix(name, "/") || strings.ContainsAny(name, " \t") {
			bad("slack.commands."+key, "expected a slash command like \"/who-said\", got %q", name)
		}
	}
	for _, u := range c.Slack.AlertUsers {
		if id := strings.TrimPrefix(u, "slack:"); id == "" || !strings.ContainsAny(id[:1], "UW") || strings.ContainsAny(id, " \t") {
			bad("slack.alert_users", "expected Slack user ids like \"U0123ABCD\", got %q", u)
		}
	}
	if v := c.Slack.ReplyVisibility; v != "in_channel" && v != "ephemeral" {
		bad("slack.reply_visibility", "expected in_channel or ephemeral, got %q", v)
	}
	checkURL(bad, "slack.api_url", c.Slack.APIURL)
	checkURL(bad, "matrix.homeserver", c.Matrix.Homeserver)
	if c.MatrixEnabled() && !strings.HasPrefix(c.Matrix.UserID, "@") {
		bad("matrix.user_id", "expected a Matrix user id like \"@newsbot:example.org\", got %q", c.Matrix.UserID)
	}
	if c.Matrix.CommandPrefix == "" || strings.ContainsAny(c.Matrix.CommandPrefix, " \t") {
		bad("matrix.command_prefix", "expected a non-empty prefix without spaces, like \"!\"")
	}
	if c.Ingest.MaxBytes <= 0 {
		bad("ingest.max_bytes", "expected a positive number of bytes")
	}
	if c.Ingest.ConnectTimeout <= 0 || c.Ingest.ReadTimeout <= 0 {
		bad("ingest.connect_timeout/read_timeout", "expected positive durations like \"10s\"")
	}
	for _, h := range c.Ingest.AllowHosts {
		if _, err := netip.ParsePrefix(h); err != nil && (h == "" || strings.ContainsAny(h, "/ :")) {
			bad("ingest.allow_hosts", "expected a host name or a CIDR like \"10.0.0.0/8\", got %q", h)
		}
	}
	if c.Ingest.MaxArticleChars < 0 || c.Ingest.MaxStatementsPerArticle < 0 {
		bad("ingest.max_article_chars/max_statements_per_article", "expected 0 (no limit) or a positive number")
	}
	if c.Feeds.MinInterval <= 0 || c.Feeds.DefaultInterval < c.Feeds.MinInterval {
		bad("feeds.default_interval", "expected a duration of at least feeds.min_interval (%s)", c.Feeds.MinInterval.Duration())
	}
	if c.Alerts.Threshold <= 0 || c.Alerts.Threshold > 1 {
		bad("alerts.threshold", "expected an expected precision between 0 and 1, got %v", c.Alerts.Threshold)
	}
	if c.Alerts.WindowDays <= 0 {
		bad("alerts.window_days", "expected a positive number of days")
	}
	if c.HTTP.Listen != "" {
		if _, err := netip.ParseAddrPort(c.HTTP.Listen); err != nil && !strings.HasPrefix(c.HTTP.Listen, ":") {
			bad("http.listen", "expected host:port like \"127.0.0.1:9090\", got %q", c.HTTP.Listen)
		}
	}
	if c.Limits.ReplyMaxStatements <= 0 || c.Limits.ReplyMaxStatements > 200 {
		bad("limits.reply_max_statements", "expected 1 to 200")
	}
	if c.Limits.CommandsPerMinute < 0 {
		bad("limits.commands_per_minute", "expected 0 (no limit) or a positive number")
	}
	return errors.Join(errs...)
}

func checkURL(bad func(string, string, ...any), key, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad(key, "expected an http(s) URL, got %q", v)
	}
}

// Redacted returns a copy with secrets blanked, for logging.
func (c Config) Redacted() Config {
	r := c
	for _, s := range []*string{&r.Slack.BotToken, &r.Slack.AppToken, &r.Slack.SigningSecret,
		&r.Matrix.AccessToken, &r.Matrix.Password, &r.Matrix.PickleKey} {
		if *s != "" {
			*s = "[redacted]"
		}
	}
	return r
}
