package commands

import (
	"bytes"
	"fmt"
	"mime"
	"path/filepath"
	"strings"

	"newsbot/internal/htmltext"
	"newsbot/internal/ingest"
	"newsbot/internal/webarticle"
)

// uploadKind says how an uploaded file is read: "html", "markdown",
// "text", or "" for a file the bot does not read.
func uploadKind(name, contentType string, data []byte) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/octet-stream" {
		mt = "" // no better idea than the name: judged by it (binary data is refused later)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		if mt == "" || mt == "text/html" || mt == "application/xhtml+xml" || mt == "text/plain" {
			return "html"
		}
	case ".md", ".markdown":
		if mt == "" || strings.HasPrefix(mt, "text/") {
			return "markdown"
		}
	case ".txt", ".text", "":
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			return "html"
		case mt == "text/markdown" || mt == "text/x-markdown":
			return "markdown"
		case mt == "" || mt == "text/plain":
			if htmltext.LooksLikeHTML(data) {
				return "html"
			}
			return "text"
		}
	}
	return ""
}

// attachmentInput reads an uploaded file as an article: text, HTML or
// Markdown. Anything else, or binary data, is refused with a reply.
func attachmentInput(a *Attachment, in ingest.Input) (ingest.Input, *Reply) {
	kind := uploadKind(a.Name, a.ContentType, a.Data)
	if kind == "" || bytes.IndexByte(a.Data, 0) >= 0 {
		what := a.ContentType
		if what == "" {
			what = "unknown type"
		}
		return in, errorReply("%s (%s) is not a text file this bot can read: upload the article as text (.txt), "+
			"HTML (.html) or Markdown (.md).", a.Name, what)
	}
	var got ingest.Input
	var err error
	if kind == "html" {
		got, err = webarticle.FromHTML(a.Data, a.ContentType, "")
	} else {
		ct := "text/plain"
		if kind == "markdown" {
			ct = "text/markdown"
		}
		if _, params, perr := mime.ParseMediaType(a.ContentType); perr == nil && params["charset"] != "" {
			ct += "; charset=" + params["charset"]
		}
		got, err = webarticle.FromDocument(a.Data, ct, "")
	}
	if err != nil {
		return in, errorReply("Could not read %s: %v.", a.Name, err)
	}
	got.File = a.Name
	if in.Outlet != "" {
		got.Outlet = in.Outlet
	}
	if !in.Published.IsZero() {
		got.Published = in.Published
	}
	return got, nil
}

// duplicateReply names the stored article an ingest duplicated.
func duplicateReply(res ingest.Result) *Reply {
	title := orDefault(res.Title, "(untitled)")
	text := fmt.Sprintf("“%s” is already stored as article %s; nothing was added.", title, short(res.DuplicateOf))
	if d := res.Duplicate; d != nil {
		where := d.Ref
		if d.Title != "" && d.Title != res.Title {
			where = strings.TrimSpace("“" + d.Title + "” " + where)
		}
		if where != "" {
			where = ", " + where
		}
		text = fmt.Sprintf("“%s” is already stored as article %s (%s%s); nothing was added.", title,
			short(res.DuplicateOf), d.Why, where)
	}
	return &Reply{Title: "Already on record", Text: text}
}
