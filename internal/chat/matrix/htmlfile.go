package matrix

import (
	"bytes"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlFile reports whether an uploaded file is an HTML page.
func htmlFile(name, mime string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	return strings.HasPrefix(mime, "text/html") || strings.HasPrefix(mime, "application/xhtml")
}

// htmlText turns an uploaded HTML page into article text: the title (the
// first h1, else <title>) on the first line, then one paragraph per block
// (p, headings, list items, quotes), leaving out scripts, styles,
// navigation, headers, footers, asides and forms.
func htmlText(data []byte) (string, error) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var title, h1 string
	var paras []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form,
				atom.Template, atom.Svg, atom.Iframe:
				return
			case atom.Title:
				if title == "" {
					title = textOf(n)
				}
				return
			case atom.H1:
				if h1 == "" {
					h1 = textOf(n)
					return
				}
				fallthrough
			case atom.P, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Blockquote, atom.Pre, atom.Figcaption:
				if t := textOf(n); t != "" {
					paras = append(paras, t)
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	head := h1
	if head == "" {
		head = title
	}
	if head == "" && len(paras) > 0 {
		head, paras = paras[0], paras[1:]
	}
	return strings.TrimSpace(head + "\n" + strings.Join(paras, "\n")), nil
}

// textOf is a node's text with white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
