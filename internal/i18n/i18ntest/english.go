// Package i18ntest checks rendered text for the tests of every package: that
// a Korean line holds no English prose.
package i18ntest

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	// Things that read the same in every language, removed before looking
	// for words: URLs, host:port, e-mail addresses, quoted values, and
	// fmt-like identifiers.
	urlRE    = regexp.MustCompile(`[a-z][a-z0-9+.-]*://\S*`)
	quotedRE = regexp.MustCompile("\"[^\"]*\"|`[^`]*`")
	wordRE   = regexp.MustCompile(`[A-Za-z]+`)
)

// EnglishRuns returns the runs of two or more consecutive ASCII words in s
// (words separated by nothing but spaces and simple punctuation) that are
// not identifiers: a token holding a digit, '.', '_', '/', ':', '@', '-',
// '=' or '<' is a code, a key, a path or a host name; an all-capital word is
// an acronym (DNS, TLS, GET); allow lists further words that may stand
// together (product names). URLs and quoted values are skipped.
func EnglishRuns(s string, allow ...string) []string {
	ok := map[string]bool{"monitord": true}
	for _, a := range allow {
		ok[strings.ToLower(a)] = true
	}
	s = urlRE.ReplaceAllString(s, " ")
	s = quotedRE.ReplaceAllString(s, " ")
	var runs []string
	var run []string
	flush := func() {
		if len(run) >= 2 {
			runs = append(runs, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) }) {
		core := strings.Trim(tok, ",;()[]!?'\"")
		core = strings.TrimSuffix(core, ":")
		core = strings.TrimSuffix(core, ".")
		switch {
		case core == "":
			flush()
			continue
		case strings.ContainsAny(core, "0123456789._/:@-=<>%"):
			flush()
			continue
		case wordRE.FindString(core) != core:
			// Not all ASCII letters: Korean, or letters mixed with Korean
			// particles ("URL을").
			flush()
			continue
		case strings.ToUpper(core) == core || ok[strings.ToLower(core)]:
			flush()
			continue
		}
		run = append(run, core)
	}
	flush()
	return runs
}
