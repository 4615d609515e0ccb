package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
)

// Version identifies the extraction algorithm. It is bumped whenever the
// output for the same input and rules changes, so that stored versions made
// by an older extractor are recognised as re-extractions, not policy changes.
//
// Version 3 keeps the dated keys of a Markdown front matter between "---"
// lines at the top ("---", "last_updated: 2025-03-01", "---"); version 2
// dropped the whole block. Version 2 marks headings with "#"×level and a
// space (see the package documentation); version 1 wrote them as plain
// lines.
const Version = 3

var (
	// ErrNoContent reports that extraction produced no text: the selector
	// matched nothing, or everything that matched was noise or empty.
	// Callers record a failed observation, never a new version.
	ErrNoContent = errors.New("extract: no content")

	// ErrUnsupportedType reports a media type the extractor cannot read
	// as text (images, PDFs, JSON, ...).
	ErrUnsupportedType = errors.New("extract: unsupported media type")
)

// Rules are a target's extraction settings from config.toml.
type Rules struct {
	// Selector is a CSS selector of the policy body. When set, the text
	// is the union of the matching elements in document order.
	Selector string `json:"selector,omitempty"`
	// Exclude lists CSS selectors of elements removed before extraction.
	Exclude []string `json:"exclude,omitempty"`
}

// Fingerprint returns a stable hex SHA-256 of the extractor Version, the
// selector and the excludes. Excludes are compared as a set (trimmed,
// sorted, duplicates and empty entries dropped) because they are applied as
// a set: all of them are matched against the same tree before any element is
// removed, so their order cannot change the output.
func (r Rules) Fingerprint() string {
	h := sha256.New()
	h.Write([]byte("monitord/extract\x00v" + strconv.Itoa(Version) + "\x00selector\x00"))
	h.Write([]byte(strings.TrimSpace(r.Selector)))
	for _, e := range r.excludes() {
		h.Write([]byte("\x00exclude\x00"))
		h.Write([]byte(e))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Validate reports whether the selector and every exclude are valid CSS
// selectors, naming the first one that is not.
func (r Rules) Validate() error {
	_, _, err := r.compile()
	return err
}

// excludes returns the trimmed, sorted, de-duplicated, non-empty excludes.
func (r Rules) excludes() []string {
	out := make([]string, 0, len(r.Exclude))
	for _, e := range r.Exclude {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (r Rules) compile() (sel cascadia.Selector, excl []cascadia.Selector, err error) {
	if s := strings.TrimSpace(r.Selector); s != "" {
		sel, err = cascadia.Compile(s)
		if err != nil {
			return nil, nil, fmt.Errorf("extract: invalid selector %q (use a CSS selector such as \"#policy\"): %w", s, err)
		}
	}
	for _, e := range r.excludes() {
		m, err := cascadia.Compile(e)
		if err != nil {
			return nil, nil, fmt.Errorf("extract: invalid exclude selector %q (use a CSS selector such as \".popup\"): %w", e, err)
		}
		excl = append(excl, m)
	}
	return sel, excl, nil
}

// Content extracts the policy text of a body according to its media type
// (parameters such as charset are ignored; the body is already UTF-8):
// text/html and application/xhtml+xml go to HTML with the rules;
// text/markdown and text/x-markdown to Markdown; text/plain and any other
// text/* type to Text. An empty media type is sniffed. The rules apply to
// HTML only. Other types fail with ErrUnsupportedType, and an empty result
// with ErrNoContent.
func Content(body, mediaType string, r Rules) (string, error) {
	mt := mediaType
	if parsed, _, err := mime.ParseMediaType(mediaType); err == nil {
		mt = parsed
	} else if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" {
		mt, _, _ = strings.Cut(http.DetectContentType([]byte(body)), ";")
	}
	var out string
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return HTML(body, r)
	case mt == "text/markdown" || mt == "text/x-markdown":
		out = Markdown(body)
	case strings.HasPrefix(mt, "text/"):
		out = Text(body)
	default:
		return "", fmt.Errorf("%w %q: monitord reads HTML, Markdown and plain text; point the target at the policy page itself", ErrUnsupportedType, mt)
	}
	if out == "" {
		return "", fmt.Errorf("%w: the %s body has no text", ErrNoContent, mt)
	}
	return out, nil
}

// Text extracts a text/plain body: it is only normalized (see Normalize).
func Text(body string) string {
	return Normalize(body)
}
