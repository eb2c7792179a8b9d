// Package fetch is a hardened HTTP client for pages and feeds named by chat
// users. It fetches http and https only, and refuses to connect to
// loopback, private, link-local, carrier-grade NAT, cloud metadata and
// other non-public addresses unless an allowlist opens them. The check is
// made on the addresses a host name resolves to, when connecting, so a
// redirect or a DNS answer cannot lead it to the bot's own network. Bodies
// are capped in size, connections and answers bounded in time, and content
// types checked. Every refusal says why.
package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Resolver looks up host names; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Config configures a Fetcher. Zero values take the defaults shown.
type Config struct {
	UserAgent      string        // default "newsbot"
	MaxBytes       int64         // body cap, default 10 MiB
	ConnectTimeout time.Duration // DNS, TCP and TLS, default 10s
	ReadTimeout    time.Duration // from connected to the whole body read, default 30s
	// AllowHosts are host names (".corp.example" for every subdomain),
	// CIDRs or IP addresses the guard lets through.
	AllowHosts   []string
	MaxRedirects int      // default 5
	Resolver     Resolver // default net.DefaultResolver
	// RootCAs, when set, replaces the system's certificate authorities
	// (an intranet CMS with its own CA; tests).
	RootCAs *x509.CertPool
}

// Fetcher fetches pages and feeds. It is safe for concurrent use.
type Fetcher struct {
	cfg    Config
	allow  Allowlist
	client *http.Client
}

// Media types for Request.Accept.
var (
	// Pages are articles: HTML or text.
	Pages = []string{"text/html", "application/xhtml+xml", "text/plain", "text/markdown"}
	// Feeds are RSS, Atom or JSON feeds (text/plain: servers often send it).
	Feeds = []string{"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
		"application/rdf+xml", "application/feed+json", "application/json", "text/plain"}
)

// New returns a Fetcher.
func New(cfg Config) (*Fetcher, error) {
	if cfg.UserAgent == "" {
		cfg.UserAgent = "newsbot"
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 10 << 20
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = 5
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	allow, err := ParseAllowlist(cfg.AllowHosts)
	if err != nil {
		return nil, err
	}
	f := &Fetcher{cfg: cfg, allow: allow}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would hide the address actually reached
		DialContext:           f.dial,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.ReadTimeout,
		TLSClientConfig:       &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
	}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f, nil
}

// Request qualifies a Get.
type Request struct {
	// Accept lists the media types wanted (Pages, Feeds); nil takes any.
	Accept []string
	// ETag and LastModified make the request conditional: an unchanged
	// resource comes back with NotModified set and no body.
	ETag         string
	LastModified string
}

// Response is a fetched resource.
type Response struct {
	URL          string // after redirects
	Status       int
	ContentType  string // as the server sent it, with parameters (charset)
	MediaType    string // "text/html"
	Body         []byte
	ETag         string
	LastModified string
	NotModified  bool
}

// ErrTooLarge is returned for a body over the size cap.
var ErrTooLarge = errors.New("larger than the size limit")

// ErrContentType is returned for a media type not accepted.
var ErrContentType = errors.New("content type not accepted")

// ErrTimeout is returned when the server did not answer in time.
var ErrTimeout = errors.New("timed out")

// Get fetches rawURL.
func (f *Fetcher) Get(ctx context.Context, rawURL string, r Request) (*Response, error) {
	u, err := CheckURL(rawURL)
	if err != nil {
		return nil, err
	}
	limit := f.cfg.ConnectTimeout + f.cfg.ReadTimeout
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	if len(r.Accept) > 0 {
		req.Header.Set("Accept", strings.Join(r.Accept, ", ")+", */*;q=0.1")
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.explain(ctx, u.String(), err)
	}
	defer resp.Body.Close()
	out := &Response{URL: resp.Request.URL.String(), Status: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"), ETag: resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified")}
	where := redirected(u.String(), out.URL)
	if resp.StatusCode == http.StatusNotModified && (r.ETag != "" || r.LastModified != "") {
		out.NotModified = true
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("%sthe server answered %s", where, resp.Status)
	}
	if out.ContentType != "" {
		mt, _, err := mime.ParseMediaType(out.ContentType)
		if err != nil {
			return nil, fmt.Errorf("%sunreadable content type %q: %w", where, out.ContentType, ErrContentType)
		}
		out.MediaType = mt
		if err := accepted(mt, r.Accept); err != nil {
			return nil, fmt.Errorf("%sthe server sends %w", where, err)
		}
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, fmt.Errorf("%s%d bytes, %w of %d bytes (ingest.max_bytes)", where, resp.ContentLength,
			ErrTooLarge, f.cfg.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s%w", where, f.explain(ctx, out.URL, err))
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return nil, fmt.Errorf("%smore than %d bytes, %w (ingest.max_bytes)", where, f.cfg.MaxBytes, ErrTooLarge)
	}
	if out.MediaType == "" {
		out.ContentType = http.DetectContentType(body)
		out.MediaType, _, _ = mime.ParseMediaType(out.ContentType)
		if err := accepted(out.MediaType, r.Accept); err != nil {
			return nil, fmt.Errorf("%sno content type given and it looks like %w", where, err)
		}
	}
	out.Body = body
	return out, nil
}

func accepted(mt string, accept []string) error {
	if len(accept) == 0 {
		return nil
	}
	for _, a := range accept {
		if strings.EqualFold(a, mt) {
			return nil
		}
	}
	return fmt.Errorf("%s, which is not one of %s: %w", mt, strings.Join(accept, ", "), ErrContentType)
}

// CheckURL parses a URL a user gave and refuses anything but absolute
// http and https URLs with a host.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%s: only http and https URLs are fetched", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%s: the URL has no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s: URLs with a user name or password are not fetched", raw)
	}
	return u, nil
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("stopped after %d redirects", f.cfg.MaxRedirects)
	}
	if _, err := CheckURL(req.URL.String()); err != nil {
		return fmt.Errorf("redirect refused: %w", err)
	}
	// Every hop is dialled through f.dial, which checks the addresses; a
	// literal address is refused here already so the error is immediate.
	if a, err := netip.ParseAddr(req.URL.Hostname()); err == nil {
		if err := f.allow.check(req.URL.Hostname(), a); err != nil {
			return err
		}
	}
	return nil
}

// dial resolves the host, refuses it when any address it resolves to is
// blocked, and connects to the checked addresses themselves, so a second
// DNS answer cannot change where the connection goes.
func (f *Fetcher) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		lookupCtx, cancel := context.WithTimeout(ctx, f.cfg.ConnectTimeout)
		addrs, err = f.cfg.Resolver.LookupNetIP(lookupCtx, "ip", host)
		slow := errors.Is(lookupCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		if slow {
			return nil, fmt.Errorf("looking up %s took longer than %s (connect_timeout): %w", host, f.cfg.ConnectTimeout, ErrTimeout)
		}
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", host, err)
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("look up %s: no addresses", host)
		}
	}
	for _, a := range addrs {
		if err := f.allow.check(host, a); err != nil {
			return nil, err
		}
	}
	d := net.Dialer{Timeout: f.cfg.ConnectTimeout, Control: f.control(host)}
	var errs []error
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// control checks the address the socket is about to connect to: the last
// word, whatever resolved it.
func (f *Fetcher) control(host string) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("refused to connect to unparsable address %q", address)
		}
		return f.allow.check(host, ap.Addr())
	}
}

// explain turns a transport error into a sentence naming the cause;
// target is the URL asked for, and a redirect elsewhere is named.
func (f *Fetcher) explain(ctx context.Context, target string, err error) error {
	where := ""
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.URL != "" {
			where = redirected(target, ue.URL)
		}
		err = ue.Err
	}
	var be *BlockedError
	if errors.As(err, &be) {
		return fmt.Errorf("%s%w", where, be)
	}
	if errors.Is(err, ErrTimeout) { // explained already
		return fmt.Errorf("%s%w", where, err)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() || ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%sno complete answer within %s (connect %s + read %s): %w", where,
			f.cfg.ConnectTimeout+f.cfg.ReadTimeout, f.cfg.ConnectTimeout, f.cfg.ReadTimeout, ErrTimeout)
	}
	return fmt.Errorf("%s%w", where, err)
}

// redirected is "redirected to URL: " when the answer came from elsewhere
// than the URL asked for, else "". Errors leave the URL asked for to the
// caller, which names it already.
func redirected(asked, final string) string {
	if final == "" || final == asked {
		return ""
	}
	return "redirected to " + final + ": "
}
