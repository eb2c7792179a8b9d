package htmltext

import (
	nurl "net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FeedLinks returns the feeds a page announces with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">,
// as absolute http(s) URLs in page order.
func FeedLinks(body []byte, contentType, pageURL string) []string {
	text, _, err := Decode(body, contentType)
	if err != nil {
		return nil
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil
	}
	base, _ := nurl.Parse(pageURL)
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Link {
			var rel, typ, href string
			for _, at := range n.Attr {
				switch strings.ToLower(at.Key) {
				case "rel":
					rel = strings.ToLower(at.Val)
				case "type":
					typ = strings.ToLower(strings.TrimSpace(at.Val))
				case "href":
					href = at.Val
				}
			}
			if strings.Contains(" "+rel+" ", " alternate ") &&
				(typ == "application/rss+xml" || typ == "application/atom+xml" || typ == "application/feed+json") {
				if u := AbsURL(href, base); u != "" {
					out = append(out, u)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
