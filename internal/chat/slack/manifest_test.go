package slack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/internal/config"
)

// TestManifestsMatchTheAdapter checks the app manifests in deploy/ against
// what the adapter needs: the default slash commands, the events it
// handles, the scopes of the methods it calls, and (http) the paths it
// serves.
func TestManifestsMatchTheAdapter(t *testing.T) {
	for _, name := range []string{"slack-manifest.yaml", "slack-manifest-http.yaml"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", name))
		if err != nil {
			t.Fatal(err)
		}
		m := string(raw)
		for _, cmd := range config.Default().Slack.Commands {
			if !strings.Contains(m, "- command: "+cmd+"\n") {
				t.Errorf("%s lacks the slash command %s", name, cmd)
			}
		}
		for _, want := range []string{"- app_mention\n", "- message.im\n", "- app_mentions:read", "- chat:write", "- commands",
			"- files:read", "- im:history", "interactivity:\n    is_enabled: true"} {
			if !strings.Contains(m, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		http := strings.Contains(name, "http")
		if got := strings.Contains(m, "socket_mode_enabled: true"); got == http {
			t.Errorf("%s: socket_mode_enabled should be %v", name, !http)
		}
		if http {
			for _, p := range []string{"url: https://newsbot.example.org" + PathCommands, "request_url: https://newsbot.example.org" + PathEvents,
				"request_url: https://newsbot.example.org" + PathInteractive} {
				if !strings.Contains(m, p) {
					t.Errorf("%s lacks %q", name, p)
				}
			}
		}
	}
}
