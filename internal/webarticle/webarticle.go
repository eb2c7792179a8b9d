// Package webarticle turns a URL, or an HTML or text document, into an
// article to ingest: the hardened fetcher gets the page, htmltext finds
// the story and its metadata.
package webarticle

import (
	"context"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"newsbot/internal/fetch"
	"newsbot/internal/htmltext"
	"newsbot/internal/ingest"
)

// Fetcher fetches articles from the web.
type Fetcher struct {
	web *fetch.Fetcher
}

// New returns a Fetcher over a hardened fetcher.
func New(web *fetch.Fetcher) *Fetcher { return &Fetcher{web: web} }

// Fetch gets the page at rawURL and returns its article.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (ingest.Input, error) {
	resp, err := f.web.Get(ctx, rawURL, fetch.Request{Accept: fetch.Pages})
	if err != nil {
		return ingest.Input{}, err
	}
	in, err := FromDocument(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return ingest.Input{}, fmt.Errorf("%s: %w", resp.URL, err)
	}
	return in, nil
}

// FromDocument reads an HTML, text or Markdown document. pageURL is where
// it came from ("" for an uploaded file); the article's URL is the page's
// canonical URL when it names one, else pageURL without tracking
// parameters.
func FromDocument(body []byte, contentType, pageURL string) (ingest.Input, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml" || mt == "" && htmltext.LooksLikeHTML(body):
		return FromHTML(body, contentType, pageURL)
	case mt == "text/plain" || mt == "text/markdown" || mt == "text/x-markdown" || mt == "":
		text, _, err := htmltext.Decode(body, contentType)
		if err != nil {
			return ingest.Input{}, err
		}
		if mt == "text/markdown" || mt == "text/x-markdown" {
			text = Markdown(text)
		}
		return ingest.Input{Text: text, Headline: true, URL: NormaliseURL(pageURL), Outlet: HostOutlet(pageURL)}, nil
	}
	return ingest.Input{}, fmt.Errorf("%s is not a web page or text", mt)
}

// FromHTML reads an HTML page.
func FromHTML(body []byte, contentType, pageURL string) (ingest.Input, error) {
	a, err := htmltext.Extract(body, contentType, pageURL)
	if err != nil {
		return ingest.Input{}, err
	}
	in := ingest.Input{Text: a.Text(), Headline: true, Title: a.Title, Author: a.Author,
		Published: a.Published, Extractor: a.Extractor, Outlet: a.SiteName}
	in.URL = NormaliseURL(a.CanonicalURL)
	if siteRoot(in.URL) && !siteRoot(NormaliseURL(pageURL)) {
		// Some sites name their home page as every page's canonical URL:
		// taken at its word, each article would duplicate the first.
		in.URL = ""
	}
	if in.URL == "" {
		in.URL = NormaliseURL(pageURL)
	}
	if in.Outlet == "" {
		in.Outlet = HostOutlet(pageURL)
	}
	return in, nil
}

// tracking are query parameters that say how a reader arrived, not which
// page it is.
var tracking = map[string]bool{"fbclid": true, "gclid": true, "dclid": true, "msclkid": true,
	"mc_cid": true, "mc_eid": true, "ocid": true, "cmpid": true, "_ga": true, "igshid": true, "smid": true}

// NormaliseURL makes the URL an article is known by: lower-case scheme and
// host, no default port, no fragment, no tracking parameters. It returns
// "" for anything but an absolute http(s) URL.
func NormaliseURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "" // no host: "http://:80" names no site
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if p := u.Port(); p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https" {
		u.Host = strings.TrimSuffix(u.Host, ":"+p)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		var kept []string
		for _, part := range strings.Split(u.RawQuery, "&") {
			// white space is no part of a URL: a parameter padded with it
			// loses it, one that is only white space goes
			part = strings.TrimSpace(part)
			k, _, _ := strings.Cut(part, "=")
			k, _ = url.QueryUnescape(k)
			if k == "" || strings.HasPrefix(strings.ToLower(k), "utm_") || tracking[strings.ToLower(k)] {
				continue
			}
			kept = append(kept, part)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// HostOutlet names an outlet by its host when the page names none.
func HostOutlet(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// OutletIsHost reports whether an outlet name is only the host of pageURL
// (what extractors fall back to when a page names no site).
func OutletIsHost(outlet, pageURL string) bool {
	u, err := url.Parse(pageURL)
	if err != nil || outlet == "" {
		return false
	}
	o := strings.TrimPrefix(strings.ToLower(outlet), "www.")
	return o == strings.TrimPrefix(strings.ToLower(u.Host), "www.") || o == strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// siteRoot reports whether a normalised URL is a site's home page.
func siteRoot(u string) bool {
	p, err := url.Parse(u)
	return err == nil && u != "" && (p.Path == "/" || p.Path == "") && p.RawQuery == ""
}
