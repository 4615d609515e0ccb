package fetch

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// metaScanLimit bounds how far into an HTML document Decode looks for a
// <meta charset> declaration. WHATWG's prescan stops at 1024 bytes, but many
// Korean sites put kilobytes of scripts and styles before their meta tag, so
// after the standard prescan we keep looking up to this many bytes (or until
// the head ends).
const metaScanLimit = 64 << 10

// Canonical charset names returned by Decode.
const (
	charsetUTF8        = "utf-8"
	charsetEUCKR       = "euc-kr"
	charsetWindows1252 = "windows-1252"
)

// labelAliases maps charset labels seen on Korean sites that the WHATWG
// Encoding Standard does not list to a label it does. All of them name Code
// Page 949, which is what the WHATWG "euc-kr" decoder implements.
var labelAliases = map[string]string{
	"cp949":         "euc-kr",
	"ms949":         "euc-kr",
	"uhc":           "euc-kr",
	"x-windows-949": "euc-kr",
	"ks_c_5601":     "euc-kr",
	"x-euc-kr":      "euc-kr",
	"euckr":         "euc-kr",
	"utf8":          "utf-8",
}

// lookup resolves a charset label to an encoding and its canonical name, or
// nil when the label is unknown.
func lookup(label string) (encoding.Encoding, string) {
	l := strings.ToLower(strings.TrimSpace(label))
	l = strings.Trim(l, `"'`)
	if a, ok := labelAliases[l]; ok {
		l = a
	}
	return charset.Lookup(l)
}

// isPlainText reports whether a media type is read as plain text rather than
// HTML: no <meta> scan applies to it.
func isPlainText(mediaType string) bool {
	switch mediaType {
	case "text/plain", "text/markdown", "text/x-markdown":
		return true
	}
	return false
}

// Decode converts a response body to valid UTF-8. It picks the charset in
// this order: a byte order mark; the charset parameter of contentType; for
// HTML, a <meta charset> or <meta http-equiv="Content-Type"> declaration;
// then sniffing (valid UTF-8, else EUC-KR/CP949 when the bytes decode cleanly
// as Korean, else windows-1252). A BOM wins over the header as in the WHATWG
// HTML standard. Two misconfigurations common on Korean sites are corrected
// where browsers would show mojibake: a header claiming UTF-8 for bytes that
// are not UTF-8 yields to the page's <meta> or to sniffing, and a header or
// <meta> claiming a legacy charset for a body that is valid non-ASCII UTF-8
// yields to UTF-8. text/plain and
// text/markdown bodies skip the <meta> scan. Labels "euc-kr",
// "ks_c_5601-1987", "cp949" and the like all decode as Code Page 949, so the
// syllables CP949 adds to EUC-KR come out intact. Invalid sequences become
// U+FFFD. charsetName is the canonical name of the charset used.
func Decode(body []byte, contentType string) (text, charsetName string, err error) {
	mediaType, label := parseContentType(contentType)
	return decode(body, mediaType, label)
}

// parseContentType returns the lower-case media type and charset label of a
// Content-Type value. Malformed parameters, common on old servers, do not
// lose the charset: it is then taken the way a <meta> content is read.
func parseContentType(ct string) (mediaType, label string) {
	ct = strings.TrimSpace(ct)
	if ct == "" {
		return "", ""
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil {
		return mt, params["charset"]
	}
	mt, _, _ = strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if !strings.Contains(mt, "/") {
		mt = ""
	}
	return mt, charsetFromContent(ct)
}

// decode is Decode with the Content-Type already parsed.
func decode(body []byte, mediaType, label string) (string, string, error) {
	// A BOM, then the header label: charset.DetermineEncoding reports both as
	// certain. We hand it only the label (normalized through our aliases) so
	// that its own prescan and fallback, which we extend below, stay out.
	ct := ""
	if label != "" {
		if _, name := lookup(label); name != "" {
			ct = "text/plain; charset=" + name
		}
	}
	head := body
	if len(head) > 4 {
		head = head[:4]
	}
	if e, name, certain := charset.DetermineEncoding(head, ct); certain {
		bomLen := bomLength(body)
		switch {
		case bomLen > 0:
			return decodeWith(e, name, body[bomLen:])
		case name != charsetUTF8 && hasNonASCII(body) && utf8.Valid(body):
			// A server-wide legacy default (AddDefaultCharset EUC-KR) over
			// a site that moved to UTF-8: non-ASCII text that is valid
			// UTF-8 is practically never EUC-KR, so the bytes win.
			return string(body), charsetUTF8, nil // validated just now
		case name != charsetUTF8:
			return decodeWith(e, name, body)
		case utf8.Valid(body):
			return string(body), name, nil // validated once: no second pass
		}
		// The header says UTF-8 but the bytes are not: fall through to the
		// page's own declaration and to sniffing, and only if they find
		// nothing better decode as UTF-8 with replacement characters.
		if !isPlainText(mediaType) {
			if e, name := prescanMeta(body); e != nil && name != charsetUTF8 {
				return decodeWith(e, name, body)
			}
		}
		if text, name, ok := sniffKorean(body); ok {
			return text, name, nil
		}
		return decodeWith(e, name, body)
	}

	if !isPlainText(mediaType) {
		if e, name := prescanMeta(body); e != nil {
			// A page that declares a legacy charset in <meta> yet is valid
			// UTF-8 with non-ASCII text was re-encoded without updating the
			// tag: Korean text in EUC-KR is practically never valid UTF-8.
			if name != charsetUTF8 && hasNonASCII(body) && utf8.Valid(body) {
				return string(body), charsetUTF8, nil
			}
			return decodeWith(e, name, body)
		}
	}
	if utf8.Valid(body) {
		return string(body), charsetUTF8, nil
	}
	if text, name, ok := sniffKorean(body); ok {
		return text, name, nil
	}
	e, name := lookup(charsetWindows1252)
	return decodeWith(e, name, body)
}

// hasNonASCII reports whether b has a byte outside ASCII.
func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// bomLength returns the length of a leading byte order mark, or 0.
func bomLength(b []byte) int {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return 3
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}), bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return 2
	}
	return 0
}

// decodeWith decodes body with e and guarantees valid UTF-8 output.
func decodeWith(e encoding.Encoding, name string, body []byte) (string, string, error) {
	if name == charsetUTF8 && utf8.Valid(body) {
		return string(body), name, nil
	}
	if name == charsetEUCKR {
		// Valid UTF-8 by construction, in a buffer of its own.
		out, _, _ := decodeEUCKR(body)
		return ownString(out), name, nil
	}
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return "", "", fmt.Errorf("fetch: decode body as %s: %w", name, err)
	}
	// x/text decoders replace invalid input with U+FFFD; this is a guard
	// against a decoder that passes bytes through unchecked.
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return ownString(out), name, nil
}

// ownString returns b as a string without copying it. b must be a buffer
// of the caller's own that nothing writes to afterwards.
func ownString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// sniffKorean decodes body, which is not valid UTF-8, as EUC-KR/CP949 and
// accepts the result when it is mostly Hangul with few undecodable bytes.
func sniffKorean(body []byte) (string, string, bool) {
	out, hangul, bad := decodeEUCKR(body)
	if hangul == 0 || bad*20 > hangul {
		return "", "", false
	}
	return ownString(out), charsetEUCKR, true
}

// prescanMeta looks for a charset declared by a <meta> element within the
// first metaScanLimit bytes of an HTML document, stopping at <body>. It
// follows the WHATWG rules: a UTF-16 declaration means UTF-8, and
// x-user-defined means windows-1252.
func prescanMeta(body []byte) (encoding.Encoding, string) {
	if len(body) > metaScanLimit {
		body = body[:metaScanLimit]
	}
	// A cheap check avoids the tokenizer for documents without any "<meta".
	if !containsFold(body, "<meta") {
		return nil, ""
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil, ""
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return nil, ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return nil, ""
			case "meta":
				if label := metaCharset(z, hasAttr); label != "" {
					if e, name := lookup(label); e != nil {
						switch {
						case strings.HasPrefix(name, "utf-16"):
							return lookup(charsetUTF8)
						case name == "x-user-defined":
							return lookup(charsetWindows1252)
						}
						return e, name
					}
				}
			}
		}
	}
}

// metaCharset returns the charset label a <meta> element declares, if any.
func metaCharset(z *html.Tokenizer, hasAttr bool) string {
	var cs, content string
	pragma := false
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "charset":
			if cs == "" {
				cs = string(v)
			}
		case "http-equiv":
			pragma = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
		case "content":
			if content == "" {
				content = string(v)
			}
		}
	}
	if cs != "" {
		return cs
	}
	if pragma && content != "" {
		return charsetFromContent(content)
	}
	return ""
}

// charsetFromContent extracts the charset parameter from a meta content
// attribute such as "text/html; charset=euc-kr", tolerating the sloppy forms
// found in the wild (no semicolon, quotes, spaces around '=').
func charsetFromContent(s string) string {
	s = strings.ToLower(s)
	for {
		i := strings.Index(s, "charset")
		if i < 0 {
			return ""
		}
		s = strings.TrimLeft(s[i+len("charset"):], " \t\n\f\r")
		if !strings.HasPrefix(s, "=") {
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\n\f\r")
		if s == "" {
			return ""
		}
		if q := s[0]; q == '"' || q == '\'' {
			s = s[1:]
			if j := strings.IndexByte(s, q); j >= 0 {
				return s[:j]
			}
			return ""
		}
		if j := strings.IndexAny(s, "; \t\n\f\r\"'"); j >= 0 {
			return s[:j]
		}
		return s
	}
}

// containsFold reports whether b contains sub, which must be lower-case
// ASCII, ignoring ASCII case in b.
func containsFold(b []byte, sub string) bool {
	n := len(sub)
outer:
	for i := 0; i+n <= len(b); i++ {
		for j := range n {
			c := b[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				continue outer
			}
		}
		return true
	}
	return false
}
