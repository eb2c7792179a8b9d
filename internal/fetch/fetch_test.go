package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeDNS answers from a table, so tests can give names to the loopback
// test servers.
type fakeDNS map[string][]string

func (d fakeDNS) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if host == "slow.example" {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	list, ok := d[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []netip.Addr
	for _, s := range list {
		out = append(out, netip.MustParseAddr(s))
	}
	return out, nil
}

func newFetcher(t *testing.T, cfg Config) *Fetcher {
	t.Helper()
	if cfg.Resolver == nil {
		cfg.Resolver = fakeDNS{"news.example": {"127.0.0.1"}, "evil.example": {"127.0.0.1"},
			"internal.example": {"10.1.2.3"}, "mixed.example": {"93.184.216.34", "127.0.0.1"}}
	}
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// server counts the requests it answers.
type server struct {
	*httptest.Server
	hits atomic.Int32
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) port() string { return s.URL[strings.LastIndex(s.URL, ":")+1:] }

func page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<html><body><p>Hello.</p></body></html>")
}

func TestBlockedAddresses(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"127.0.0.1", "loopback"}, {"127.8.9.10", "loopback"}, {"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"}, {"10.0.0.1", "private"}, {"172.16.5.4", "private"},
		{"172.31.255.255", "private"}, {"192.168.1.1", "private"}, {"fd12:3456::1", "private"},
		{"169.254.169.254", "cloud metadata"}, {"fd00:ec2::254", "cloud metadata"},
		{"100.100.100.200", "cloud metadata"}, {"169.254.1.1", "link-local"}, {"fe80::1", "link-local"},
		{"100.64.0.1", "carrier-grade NAT"}, {"100.127.255.254", "carrier-grade NAT"},
		{"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"224.0.0.251", "multicast"},
		{"64:ff9b::7f00:1", "loopback"}, {"64:ff9b::a00:1", "private"},
		{"8.8.8.8", ""}, {"93.184.216.34", ""}, {"172.32.0.1", ""}, {"100.128.0.1", ""},
		{"2606:4700::1111", ""}, {"64:ff9b::808:808", ""},
	} {
		got := Blocked(netip.MustParseAddr(tc.addr))
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("Blocked(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func wantBlocked(t *testing.T, err error, addr string) {
	t.Helper()
	var be *BlockedError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a refusal naming %s", err, addr)
	}
	if be.Addr.String() != addr || !strings.Contains(err.Error(), addr) {
		t.Fatalf("refusal %q does not name %s", err, addr)
	}
}

func TestLoopbackRefusedByDefault(t *testing.T) {
	s := newServer(t, page)
	f := newFetcher(t, Config{})
	_, err := f.Get(context.Background(), s.URL+"/a.html", Request{Accept: Pages})
	wantBlocked(t, err, "127.0.0.1")
	if !strings.Contains(err.Error(), "loopback") {
		t.Errorf("refusal %q does not say why", err)
	}
	if n := s.hits.Load(); n != 0 {
		t.Fatalf("the server was reached %d times", n)
	}
}

// A public-looking name that resolves to loopback is refused after the
// lookup.
func TestNameResolvingToLoopbackRefused(t *testing.T) {
	s := newServer(t, page)
	f := newFetcher(t, Config{})
	_, err := f.Get(context.Background(), "http://evil.example:"+s.port()+"/", Request{})
	wantBlocked(t, err, "127.0.0.1")
	if !strings.Contains(err.Error(), "evil.example") {
		t.Errorf("refusal %q does not name the host", err)
	}
	if s.hits.Load() != 0 {
		t.Fatal("the server was reached")
	}
	// One private address among public ones is enough to refuse.
	_, err = f.Get(context.Background(), "http://mixed.example:"+s.port()+"/", Request{})
	wantBlocked(t, err, "127.0.0.1")
}

func TestAllowlistOpensHost(t *testing.T) {
	s := newServer(t, page)
	for _, allow := range []string{"news.example", ".example", "127.0.0.0/8", "127.0.0.1"} {
		f := newFetcher(t, Config{AllowHosts: []string{allow}})
		resp, err := f.Get(context.Background(), "http://news.example:"+s.port()+"/a.html", Request{Accept: Pages})
		if err != nil {
			t.Fatalf("allow %q: %v", allow, err)
		}
		if !strings.Contains(string(resp.Body), "Hello.") || resp.MediaType != "text/html" {
			t.Fatalf("allow %q: got %q %q", allow, resp.MediaType, resp.Body)
		}
	}
	// The name allowlisted does not open the other names on that address.
	f := newFetcher(t, Config{AllowHosts: []string{"news.example"}})
	_, err := f.Get(context.Background(), "http://evil.example:"+s.port()+"/", Request{})
	wantBlocked(t, err, "127.0.0.1")
}

// The allowlisted test server redirects to 127.0.0.1 (a literal address)
// and to a name resolving to a private address: both hops are refused and
// never reached.
func TestRedirectToLoopbackRefused(t *testing.T) {
	var secret atomic.Int32
	target := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		secret.Add(1)
		page(w, r)
	})
	origin := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/literal":
			http.Redirect(w, r, "http://127.0.0.1:"+target.port()+"/admin", http.StatusFound)
		case "/name":
			http.Redirect(w, r, "http://evil.example:"+target.port()+"/admin", http.StatusMovedPermanently)
		case "/private":
			http.Redirect(w, r, "http://internal.example/admin", http.StatusFound)
		case "/file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/ok":
			http.Redirect(w, r, "/a.html", http.StatusFound)
		default:
			page(w, r)
		}
	})
	f := newFetcher(t, Config{AllowHosts: []string{"news.example"}})
	base := "http://news.example:" + origin.port()
	ctx := context.Background()

	resp, err := f.Get(ctx, base+"/ok", Request{})
	if err != nil || resp.URL != base+"/a.html" {
		t.Fatalf("a redirect within the allowlisted host: %v %+v", err, resp)
	}
	_, err = f.Get(ctx, base+"/literal", Request{})
	wantBlocked(t, err, "127.0.0.1")
	if !strings.Contains(err.Error(), "redirected to http://127.0.0.1:") {
		t.Errorf("refusal %q does not name the redirect", err)
	}
	_, err = f.Get(ctx, base+"/name", Request{})
	wantBlocked(t, err, "127.0.0.1")
	_, err = f.Get(ctx, base+"/private", Request{})
	wantBlocked(t, err, "10.1.2.3")
	if _, err = f.Get(ctx, base+"/file", Request{}); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("redirect to file: %v", err)
	}
	if n := secret.Load(); n != 0 {
		t.Fatalf("the redirect target was reached %d times", n)
	}
}

func TestSchemesRefused(t *testing.T) {
	f := newFetcher(t, Config{})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/a", "gopher://x/", "example.org/a",
		"http://user:pw@example.org/", "http:///nohost"} {
		if _, err := f.Get(context.Background(), u, Request{}); err == nil {
			t.Errorf("%s: fetched", u)
		}
	}
}

func TestSizeCap(t *testing.T) {
	big := strings.Repeat("<p>padding padding padding padding.</p>\n", 4000) // ~160 KB
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/chunked" {
			// No Content-Length: the cap must hold while reading.
			for i := 0; i < 40; i++ {
				fmt.Fprint(w, big[:4000])
				w.(http.Flusher).Flush()
			}
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(big)))
		fmt.Fprint(w, big)
	})
	f := newFetcher(t, Config{AllowHosts: []string{"127.0.0.1"}, MaxBytes: 64 << 10})
	for _, p := range []string{"/declared", "/chunked"} {
		_, err := f.Get(context.Background(), s.URL+p, Request{Accept: Pages})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "65536") {
			t.Errorf("%s: err = %v, want too large naming the limit", p, err)
		}
	}
	f = newFetcher(t, Config{AllowHosts: []string{"127.0.0.1"}, MaxBytes: 1 << 20})
	if resp, err := f.Get(context.Background(), s.URL+"/chunked", Request{}); err != nil || len(resp.Body) != 160000 {
		t.Errorf("under the cap: %v", err)
	}
}

func TestSlowPage(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/headers": // nothing for a long time
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/trickle": // headers at once, then a byte now and then
			w.Header().Set("Content-Type", "text/html")
			for i := 0; i < 100; i++ {
				fmt.Fprint(w, "<p>")
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}
	})
	f := newFetcher(t, Config{AllowHosts: []string{"127.0.0.1"}, ConnectTimeout: 200 * time.Millisecond,
		ReadTimeout: 300 * time.Millisecond})
	for _, p := range []string{"/headers", "/trickle"} {
		start := time.Now()
		_, err := f.Get(context.Background(), s.URL+p, Request{})
		took := time.Since(start)
		if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "within 500ms") {
			t.Errorf("%s: err = %v, want a timeout", p, err)
		}
		if took > 3*time.Second {
			t.Errorf("%s: gave up only after %s", p, took)
		}
	}
}

// A resolver that does not answer is bounded by the connect timeout.
func TestSlowDNS(t *testing.T) {
	f := newFetcher(t, Config{ConnectTimeout: 200 * time.Millisecond, ReadTimeout: 10 * time.Second})
	start := time.Now()
	_, err := f.Get(context.Background(), "http://slow.example/a", Request{})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "looking up slow.example took longer than 200ms") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %s", d)
	}
}

func TestContentTypes(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, "%PDF-1.4")
		case "/none":
			w.Header()["Content-Type"] = nil // no header at all: sniffed
			fmt.Fprint(w, "<!DOCTYPE html><html><body><p>Sniffed.</p></body></html>")
		case "/png":
			w.Header()["Content-Type"] = nil
			w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		case "/404":
			http.NotFound(w, r)
		}
	})
	f := newFetcher(t, Config{AllowHosts: []string{"127.0.0.1"}})
	ctx := context.Background()
	if _, err := f.Get(ctx, s.URL+"/pdf", Request{Accept: Pages}); !errors.Is(err, ErrContentType) || !strings.Contains(err.Error(), "application/pdf") {
		t.Errorf("pdf: %v", err)
	}
	if resp, err := f.Get(ctx, s.URL+"/none", Request{Accept: Pages}); err != nil || resp.MediaType != "text/html" {
		t.Errorf("sniffed html: %v", err)
	}
	if _, err := f.Get(ctx, s.URL+"/png", Request{Accept: Pages}); !errors.Is(err, ErrContentType) {
		t.Errorf("sniffed png: %v", err)
	}
	if _, err := f.Get(ctx, s.URL+"/404", Request{}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: %v", err)
	}
}

func TestConditionalGetAndUserAgent(t *testing.T) {
	var agent atomic.Value
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		agent.Store(r.UserAgent())
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Mon, 02 Jan 2006 15:04:05 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss></rss>")
	})
	f := newFetcher(t, Config{AllowHosts: []string{"127.0.0.1"}, UserAgent: "test-agent/1"})
	ctx := context.Background()
	resp, err := f.Get(ctx, s.URL, Request{Accept: Feeds})
	if err != nil || resp.NotModified || resp.ETag != `"v1"` || resp.LastModified == "" {
		t.Fatalf("first get: %v %+v", err, resp)
	}
	if agent.Load() != "test-agent/1" {
		t.Errorf("user agent %q", agent.Load())
	}
	resp, err = f.Get(ctx, s.URL, Request{Accept: Feeds, ETag: resp.ETag})
	if err != nil || !resp.NotModified || len(resp.Body) != 0 {
		t.Fatalf("etag: %v %+v", err, resp)
	}
	resp, err = f.Get(ctx, s.URL, Request{Accept: Feeds, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"})
	if err != nil || !resp.NotModified {
		t.Fatalf("last-modified: %v %+v", err, resp)
	}
}

func TestParseAllowlist(t *testing.T) {
	al, err := ParseAllowlist([]string{"CMS.Corp.Example", ".intra.example", "10.0.0.0/8", "192.168.1.7"})
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{"cms.corp.example": true, "cms.corp.example.": true,
		"a.intra.example": true, "intra.example": false, "corp.example": false} {
		if al.Host(host) != want {
			t.Errorf("Host(%s) = %v", host, !want)
		}
	}
	for addr, want := range map[string]bool{"10.9.9.9": true, "192.168.1.7": true, "192.168.1.8": false,
		"::ffff:10.1.1.1": true} {
		if al.Addr(netip.MustParseAddr(addr)) != want {
			t.Errorf("Addr(%s) = %v", addr, !want)
		}
	}
	if _, err := ParseAllowlist([]string{"10.0.0.0/99"}); err == nil {
		t.Error("bad CIDR accepted")
	}
}

// The guard holds at connect time too: a dial straight to a blocked
// address, bypassing the resolver step, is refused by the socket control.
func TestControlRefusesBlockedAddress(t *testing.T) {
	f := newFetcher(t, Config{})
	err := f.control("evil.example")("tcp4", "127.0.0.1:80", nil)
	wantBlocked(t, err, "127.0.0.1")
	if err := f.control("x")("tcp4", "93.184.216.34:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}

// https goes through the same guarded dialler: refused on loopback, fetched
// once allowlisted (with the test server's CA).
func TestHTTPS(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(page))
	defer s.Close()
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	f := newFetcher(t, Config{RootCAs: pool})
	_, err := f.Get(context.Background(), s.URL+"/a.html", Request{Accept: Pages})
	wantBlocked(t, err, "127.0.0.1")
	f = newFetcher(t, Config{RootCAs: pool, AllowHosts: []string{"127.0.0.1"}})
	resp, err := f.Get(context.Background(), s.URL+"/a.html", Request{Accept: Pages})
	if err != nil || !strings.Contains(string(resp.Body), "Hello.") {
		t.Fatalf("https: %v", err)
	}
	// Without the CA the certificate is refused.
	f = newFetcher(t, Config{AllowHosts: []string{"127.0.0.1"}})
	if _, err := f.Get(context.Background(), s.URL+"/a.html", Request{}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted certificate: %v", err)
	}
}
