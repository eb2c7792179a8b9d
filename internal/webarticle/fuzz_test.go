package webarticle

import "testing"

// FuzzNormaliseURL: normalising is idempotent and keeps http(s) only.
func FuzzNormaliseURL(f *testing.F) {
	for _, s := range []string{"HTTPS://News.Example:443/a?utm_source=x&id=3#top", "http://x/?a=1&&b=2", "ftp://x/", "http://[::1]:80/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n := NormaliseURL(raw)
		if n == "" {
			return
		}
		if again := NormaliseURL(n); again != n {
			t.Fatalf("NormaliseURL(%q) = %q, then %q", raw, n, again)
		}
	})
}
