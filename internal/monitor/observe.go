package monitor

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/policy"
)

// What counts as an observation of the policy is decided here, once. A
// fetched page becomes a version only when all of these hold; otherwise the
// check is a failed observation (kept in the failure list, counted towards
// target.failing, never a version and never an alert of a change):
//
//   - the page is complete: an HTML document that opened <html> or <body>
//     also closes one of them (a connection that closed early, an HTTP/1.0
//     body without Content-Length cut short, a script that died half-way);
//     a body shorter than its Content-Length is already a fetch error;
//   - the page holds no server error trace (PHP "Fatal error: … on line",
//     a Java or .NET stack trace, a Python traceback, an SQL error);
//   - the text is a policy in its body, not only in its links: assess
//     counts policy words outside the site chrome only (see chromeFree), so
//     a login, maintenance or captcha page whose footer links
//     개인정보처리방침, 이메일무단수집거부 and 개인정보보호책임자 is not one;
//   - invalid byte sequences (decoded as a browser does, to U+FFFD) never
//     make a version: a text with more of them than the current version is
//     refused, and the parser and the diff ignore U+FFFD, so the good page
//     that follows compares equal to the version before;
//   - a text that shrank drastically against the current version is
//     accepted only when it is itself a complete policy (see completePolicy)
//     and the same text was found on shrinkConfirmations consecutive checks.

// ErrIncomplete marks a page that ended before its HTML did, or that holds a
// server error trace: a broken response, not the site's policy.
var ErrIncomplete = fmt.Errorf("%w: the page is incomplete", ErrNotPolicy)

// ErrInvalidBytes marks a text with more invalid byte sequences than the
// current version.
var ErrInvalidBytes = fmt.Errorf("%w: the page holds invalid byte sequences", ErrNotPolicy)

// assessPage checks the response itself, before extraction.
func assessPage(resp *fetch.Response) error {
	if resp.MediaType != "text/html" && resp.MediaType != "application/xhtml+xml" {
		return nil
	}
	if truncatedHTML(resp.Raw) {
		return i18n.Wrap("truncated_html", fmt.Errorf("%w: the HTML stops before its closing </body> or </html> (%d bytes received); the connection was probably cut or the server stopped mid-page", ErrIncomplete, len(resp.Raw)),
			"check.error.truncated", len(resp.Raw))
	}
	// A trace may stand outside the element the extractor keeps (a PHP
	// warning printed before the layout): look at the whole page.
	if mayHoldTrace(resp.Text) {
		if line := errorTrace(tagRE.ReplaceAllString(resp.Text, "")); line != "" {
			return traceError(line)
		}
	}
	return nil
}

// tagRE matches an HTML tag, removed before looking for a trace in a page
// ("<b>Fatal error</b>: …").
var tagRE = regexp.MustCompile(`<[^<>]*>`)

// mayHoldTrace is the cheap filter before errorTrace on a whole page.
func mayHoldTrace(s string) bool {
	for _, w := range [...]string{"rror:", "rror</", "xception", "Traceback", "SQLSTATE", "ORA-", "OLE DB", "Server Error", "Whitelabel", "HTTP Status 5", "Stack trace"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return containsOnLine(s)
}

// containsOnLine is strings.Contains(s, " on line "), looking for "on line "
// and then at the byte before it: strings.Index stops at each occurrence of
// a pattern's first byte, and a space is every few bytes of Korean text
// (on a bench page, 52 against 2.4 µs).
func containsOnLine(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], "on line ")
		if j < 0 {
			return false
		}
		if at := i + j; at > 0 && s[at-1] == ' ' {
			return true
		}
		i += j + 1
	}
}

// truncatedHTML reports an HTML document that opened <html> or <body> but
// closes neither. Fragments (no <html>, no <body>) cannot tell and pass.
func truncatedHTML(raw []byte) bool {
	if !hasTagFold(raw, "<html") && !hasTagFold(raw, "<body") {
		return false
	}
	// A complete page closes them near its end: look from there.
	return !hasTagFoldFromEnd(raw, "</body") && !hasTagFoldFromEnd(raw, "</html")
}

// hasTagFoldFromEnd is hasTagFold looking from the end of raw.
func hasTagFoldFromEnd(raw []byte, tag string) bool {
	for j := len(raw); j > 0; {
		i := bytes.LastIndexByte(raw[:j], '<')
		if i < 0 {
			return false
		}
		if tagAt(raw, i, tag) {
			return true
		}
		j = i
	}
	return false
}

// hasTagFold reports whether raw contains tag (lower-case ASCII, "<x" or
// "</x") followed by '>' or a space, ignoring ASCII case.
func hasTagFold(raw []byte, tag string) bool {
	for i := 0; i < len(raw); i++ {
		k := bytes.IndexByte(raw[i:], '<')
		if k < 0 {
			return false
		}
		i += k
		if tagAt(raw, i, tag) {
			return true
		}
	}
	return false
}

// tagAt reports whether tag (see hasTagFold) starts at raw[i].
func tagAt(raw []byte, i int, tag string) bool {
	n := len(tag)
	return i+n <= len(raw) && asciiEqualFold(raw[i:i+n], tag) && (i+n == len(raw) || isTagEnd(raw[i+n]))
}

func isTagEnd(c byte) bool {
	return c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/'
}

func asciiEqualFold(b []byte, s string) bool {
	for i := range len(s) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// errorTraceRE finds the marks of a server error in extracted text. Each
// alternative is specific enough never to occur in a policy.
var errorTraceRE = regexp.MustCompile(`(?im)` + strings.Join([]string{
	`(?:fatal|parse|catchable fatal|recoverable fatal) error\s*:.*(?:\bon line\s+\d+|\.php:\d+|uncaught)`,
	`\b(?:warning|notice|deprecated)\s*:.*\bin\s+\S+\.php\s+on line\s+\d+`,
	`^\s*at\s+[\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)`,
	`\b(?:java\.lang|javax\.servlet|org\.apache\.jasper|org\.springframework)\.[\w.]*(?:Exception|Error)\b`,
	`^traceback \(most recent call last\):`,
	`server error in '[^']*' application`,
	`\bSQLSTATE\[\w+\]`,
	`you have an error in your sql syntax`,
	`\bORA-\d{5}:`,
	`microsoft ole db provider for`,
	`^whitelabel error page`,
	`^http status 500\b`,
	`^stack trace:\s*$`,
}, "|"))

// errorTraceNeeds lists, per alternative of errorTraceRE (in its order),
// literals of which the text must hold at least one (ASCII case folded) for
// that alternative to match: a necessary condition, so errorTrace runs the
// regular expression (tens of milliseconds over a 60 KB policy) only on the
// rare text that could match. An alternative listed with two groups needs
// one literal of each. Keep this in step with errorTraceRE
// (TestErrorTracePrefilter checks a sample of every alternative).
var errorTraceNeeds = [][][]string{
	{{"error"}, {"on line", ".php:", "uncaught"}},
	{{".php"}, {"on line"}},
	{{".java:", ".kt:", ".scala:"}},
	{{"java.lang.", "javax.servlet.", "org.apache.jasper.", "org.springframework."}},
	{{"traceback (most recent call last):"}},
	{{"server error in '"}},
	{{"sqlstate["}},
	{{"you have an error in your sql syntax"}},
	{{"ora-"}},
	{{"microsoft ole db provider for"}},
	{{"whitelabel error page"}},
	{{"http status 500"}},
	{{"stack trace:"}},
}

// mayHaveErrorTrace reports whether errorTraceRE could match text. (?i)
// folds two non-ASCII letters onto ASCII ones (U+017F ſ, U+212A K): a text
// with either always goes to the regular expression.
func mayHaveErrorTrace(text string) bool {
	if strings.Contains(text, "\u017f") || strings.Contains(text, "\u212a") { // ſ, K (Kelvin)
		return true
	}
	lower := readOnlyBytes(text)
	for i := range len(text) {
		if c := text[i]; 'A' <= c && c <= 'Z' {
			bp := lowerBuf.Get().(*[]byte)
			defer func() {
				if cap(*bp) <= 1<<20 { // a rare huge text is not kept
					lowerBuf.Put(bp)
				}
			}()
			*bp = asciiLower((*bp)[:0], text)
			lower = *bp
			break
		}
	}
alternatives:
	for _, groups := range errorTraceNeeds {
		for _, oneOf := range groups {
			found := false
			for _, lit := range oneOf {
				if bytes.Contains(lower, readOnlyBytes(lit)) {
					found = true
					break
				}
			}
			if !found {
				continue alternatives
			}
		}
		return true
	}
	return false
}

// lowerBuf holds the lower-cased copy of a text while mayHaveErrorTrace
// reads it.
var lowerBuf = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// asciiLower appends s to dst with ASCII letters lower-cased.
func asciiLower(dst []byte, s string) []byte {
	dst = append(dst, s...)
	b := dst[len(dst)-len(s):]
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// errorTrace returns the first line of text that shows a server error
// trace, or "".
func errorTrace(text string) string {
	if !mayHaveErrorTrace(text) {
		return ""
	}
	loc := errorTraceRE.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	start := strings.LastIndexByte(text[:loc[0]], '\n') + 1
	end := strings.IndexByte(text[loc[0]:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += loc[0]
	}
	line := text[start:end]
	if utf8.RuneCountInString(line) > 120 {
		line = string([]rune(line)[:120]) + "…"
	}
	return line
}

// replacementChars counts U+FFFD, what invalid byte sequences decode to.
func replacementChars(s string) int { return strings.Count(s, "\uFFFD") }

// Thresholds of completePolicy.
const (
	minCompleteSections = 3 // headed sections of a policy that shrank
)

// completePolicy reports whether text, parsed, is a policy on its own: at
// least minCompleteSections headed sections and a policy signal outside its
// site chrome (not only in links). A policy that really became shorter is
// still one; a login wall or a notice "this page has moved" is not,
// however often it is served.
func completePolicy(text string) bool {
	if !bodySignal(text) {
		return false
	}
	doc := policy.Parse(text)
	n := 0
	for _, s := range doc.Sections {
		if s.Title != "" && len(s.Body) > 0 {
			n++
		}
	}
	return n >= minCompleteSections
}
