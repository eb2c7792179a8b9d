package config

import (
	"os"
	"testing"
)

// FuzzParse: no configuration text makes the parser panic, and whatever it
// accepts is a valid configuration.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(example))
	f.Add("[database]\nlock_timeout = \"-1s\"\n")
	f.Add("[slack]\nmode = \"carrier-pigeon\"\n")
	f.Add("[alerts]\nthreshold = 1.5\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text, "fuzz.toml", nil)
		if err != nil {
			return
		}
		if verr := c.Validate(); verr != nil {
			t.Fatalf("Parse accepted a configuration Validate refuses: %v\n%s", verr, text)
		}
	})
}
