package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/extract"
)

// Accept decides whether an extracted text is the policy (nil) or not (an
// error saying why). The monitor passes its own test, so every path to a
// text is judged the same way.
type Accept func(text string) error

// maxDataNodes bounds the JSON values read from one page's data, so a
// hostile blob cannot make the walk expensive.
const maxDataNodes = 200_000

// jsonEnd returns the length of the JSON value s starts with, or 0.
func jsonEnd(s string) int {
	dec := json.NewDecoder(strings.NewReader(s))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return 0
	}
	return int(dec.InputOffset())
}

// jnode is a JSON value with its object keys in document order (a Go map
// would lose the order, and the order of a policy's sections matters).
type jnode struct {
	key  string // the key this value sits under in its object; "" otherwise
	leaf bool
	str  string // a string leaf's value
	kids []*jnode
	text string // the text of the value, computed by textOf
}

func parseJSON(data []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n := 0
	root, err := readValue(dec, "", &n)
	if err != nil {
		return nil, err
	}
	return root, nil
}

func readValue(dec *json.Decoder, key string, count *int) (*jnode, error) {
	if *count++; *count > maxDataNodes {
		return nil, errors.New("render: the page's data has too many values")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	node := &jnode{key: key}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				kid, err := readValue(dec, k, count)
				if err != nil {
					return nil, err
				}
				node.kids = append(node.kids, kid)
			}
		case '[':
			for dec.More() {
				kid, err := readValue(dec, "", count)
				if err != nil {
					return nil, err
				}
				node.kids = append(node.kids, kid)
			}
		}
		if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) { // the closing delimiter
			return nil, err
		}
	case string:
		node.leaf, node.str = true, t
	default:
		node.leaf = true // numbers, booleans, null: not text
	}
	return node, nil
}

// headingKeys are the keys whose short string is the title of the text
// beside it (a section's title in a list of sections).
var headingKeys = map[string]bool{"title": true, "heading": true, "subject": true, "name": true, "label": true, "subtitle": true}

// textOf computes the text of every node below n, as the extractor would
// write it: an HTML string through extract.HTML, a plain one normalised,
// a short title as a "## " heading line. Identifiers, URLs and other
// tokens (no space, no Hangul) are not text.
func textOf(n *jnode) string {
	if n.leaf {
		n.text = leafText(n)
		return n.text
	}
	var heads, parts []string
	for _, k := range n.kids {
		t := textOf(k)
		switch {
		case t == "":
		case k.leaf && strings.HasPrefix(t, "## "):
			// An object's title leads its text, wherever its key is (JSON
			// encoders often sort keys: "body" before "title").
			heads = append(heads, t)
		default:
			parts = append(parts, t)
		}
	}
	n.text = strings.Join(append(heads, parts...), "\n")
	return n.text
}

func leafText(n *jnode) string {
	s := strings.TrimSpace(n.str)
	if s == "" || !looksLikeText(s) {
		return ""
	}
	if looksLikeHTML(s) {
		// The string is the policy itself (not a page around it): all of it.
		t, err := extract.HTML(s, extract.Rules{Selector: "body"})
		if err != nil {
			return ""
		}
		return t
	}
	t := extract.Text(s)
	if headingKeys[strings.ToLower(n.key)] && !strings.Contains(t, "\n") && utf8.RuneCountInString(t) <= 80 {
		return "## " + t
	}
	return t
}

// looksLikeText tells prose from tokens: a string with a space or a Hangul
// syllable. "abc123", "/_next/static/x.js" and dates in ISO form are not.
func looksLikeText(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

func looksLikeHTML(s string) bool {
	i := strings.IndexByte(s, '<')
	if i < 0 || i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!'
}

// DataText returns the policy text held in one JSON document of a page's
// script app, or "" when it holds none. The chosen value is the smallest
// one that still holds the whole policy: the walk descends from the root
// while one child alone is accepted and holds at least 90% of its parent's
// text, so it stops at a list of sections (whose items are each too short
// to pass alone) or at the one string holding the policy as HTML, and
// leaves out the app's other data (navigation labels, build ids).
func DataText(data []byte, accept Accept) string {
	root, err := parseJSON(data)
	if err != nil {
		return ""
	}
	textOf(root)
	if root.text == "" || accept(root.text) != nil {
		return ""
	}
	n := root
	for {
		var next *jnode
		for _, k := range n.kids {
			if len(k.text) >= len(n.text)*9/10 && accept(k.text) == nil {
				next = k
				break
			}
		}
		if next == nil {
			return n.text
		}
		n = next
	}
}
