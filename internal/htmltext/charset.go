package htmltext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Decode converts an HTML page to UTF-8. The encoding comes, in order,
// from a byte-order mark, the Content-Type header's charset, a <meta>
// declaration in the first 1024 bytes, or a guess. Bytes declared (or
// assumed) UTF-8 that are not valid UTF-8 are read as windows-1252, as
// browsers do with mislabelled Western pages. It returns the text and the
// name of the encoding used.
func Decode(body []byte, contentType string) (string, string, error) {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" {
		if utf8.Valid(body) {
			return strings.TrimPrefix(string(body), "\ufeff"), name, nil
		}
		// Declared UTF-8 (or undeclared) but not UTF-8: the common
		// mislabelling is Latin-1.
		enc, name = charmap.Windows1252, "windows-1252"
	}
	out, err := io.ReadAll(transform.NewReader(bytes.NewReader(body), enc.NewDecoder()))
	if err != nil {
		return "", name, fmt.Errorf("decode page as %s: %w", name, err)
	}
	return strings.TrimPrefix(string(out), "\ufeff"), name, nil
}
