package monitor

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/i18n"
)

// traceError refuses a page that holds a server error trace (line).
func traceError(line string) error {
	return i18n.Wrap("server_trace", fmt.Errorf("%w: it holds a server error trace (%q); the server failed while building the page", ErrIncomplete, line),
		"check.error.trace", strconv.Quote(line))
}

// ErrShrank marks a text refused because it is much shorter than the
// current version; it wraps ErrNotPolicy.
var ErrShrank = fmt.Errorf("%w: the text shrank drastically", ErrNotPolicy)

// shrinkConfirmations is how many consecutive checks must find the same
// shrunken text before it is accepted as the policy's new version: a broken
// page comes and goes, a policy that really became shorter stays.
const shrinkConfirmations = 3

// ErrNotPolicy marks an extracted text that must not become a version: it is
// empty or nearly so, shows no sign of being a privacy policy, or shrank so
// much against the current version that a broken page is far likelier than a
// rewritten policy. Such a check is recorded as a failed observation.
var ErrNotPolicy = errors.New("monitor: page is not a privacy policy")

// Thresholds of assess. A real policy, even a short one, runs to well over a
// thousand characters (the shortest seed has about 2,000); a maintenance or
// login page that slipped past the extractor has a few dozen.
const (
	minPolicyRunes = 200
	// A new text shorter than this fraction of the current one is taken for
	// a broken page (an error template served with 200, a half-rendered
	// page), not for a policy that lost most of its content overnight.
	minShrinkRatio = 0.4
)

// policyTerms are words privacy policies use and other pages rarely do.
// Korean terms are matched with spaces removed ("개인 정보" is 개인정보),
// English ones case-insensitively. A page must use at least minPolicyTerms
// different ones: a login or error page with a footer link to the
// 개인정보처리방침 uses two.
var (
	policyTermsKorean  = []string{"개인정보", "개인보호", "정보주체", "처리방침", "취급방침", "수집", "보유", "파기", "제3자", "위탁", "쿠키", "동의", "보호책임자", "열람", "보관", "보존", "처리 목적", "처리목적", "이용 목적", "이용목적"}
	policyTermsEnglish = []string{"privacy", "personal data", "personal information", "cookie", "third part", "retention", "retain", "collect", "consent"}
)

const minPolicyTerms = 3

// assess returns nil when text may be stored as a version of a target whose
// current text is currentSize bytes long (0 when there is none). sameRules is
// false when the extraction rules changed since the current version: the
// shrink test is then meaningless and skipped.
func assess(text string, currentSize int, sameRules bool) error {
	if err := assessText(text); err != nil {
		return err
	}
	return assessShrink(text, currentSize, sameRules)
}

// assessText is the part of assess that looks at the text alone:
// assess(text, 0, false).
func assessText(text string) error {
	// A rune takes at most utf8.UTFMax bytes: a longer text has enough of
	// them without counting.
	if len(text) < minPolicyRunes*utf8.UTFMax {
		if n := utf8.RuneCountInString(text); n < minPolicyRunes {
			return i18n.Wrap("too_short", fmt.Errorf("%w: the extracted text has only %d characters (at least %d expected); check the target's selector or whether the site serves an error page", ErrNotPolicy, n, minPolicyRunes),
				"check.error.too_short", n, minPolicyRunes)
		}
	}
	if terms, lines := policySignal(text); terms < minPolicyTerms || lines < minPolicyLines {
		return i18n.Wrap("not_policy", fmt.Errorf("%w: the text uses %d of the words privacy policies use (개인정보, 수집, 보유, 파기, 제3자, privacy, ...) in %d lines; at least %d words in %d lines expected (links and footers do not count); it looks like a login, maintenance or error page", ErrNotPolicy, terms, lines, minPolicyTerms, minPolicyLines),
			"check.error.not_policy", terms, lines, minPolicyTerms, minPolicyLines)
	}
	if line := errorTrace(text); line != "" {
		return traceError(line)
	}
	return nil
}

// assessShrink is the part of assess that compares the text with the
// current version's size.
func assessShrink(text string, currentSize int, sameRules bool) error {
	if sameRules && currentSize > 0 && float64(len(text)) < minShrinkRatio*float64(currentSize) {
		return i18n.Wrap("shrank", fmt.Errorf("%w from %d to %d bytes; treated as a broken page, not a new version, unless the same text is found on %d consecutive checks", ErrShrank, currentSize, len(text), shrinkConfirmations),
			"check.error.shrank", currentSize, len(text), shrinkConfirmations)
	}
	return nil
}

// Thresholds of policySignal: a policy uses minPolicyTerms different policy
// words in at least minPolicyLines lines of its own. Site chrome does not
// count (see chromeFree): the footer's links (개인정보처리방침 | 이용약관 |
// 이메일무단수집거부), the officer's name in the footer, the 이메일무단수집거부
// notice; a cookie banner is one line.
const minPolicyLines = 3

// chromePhrases are the link labels every Korean site repeats in its
// navigation and footer, with and without spaces; a line's policy words
// are counted once these are taken out of it.
var chromePhrases = []string{
	"개인정보처리방침", "개인정보 처리방침", "개인정보취급방침", "개인정보 취급방침",
	"이메일무단수집거부", "이메일 무단수집 거부", "이메일 무단수집거부", "이메일무단수집 거부", "이메일 무단 수집 거부",
	"개인정보보호책임자", "개인정보 보호책임자", "개인정보보호 책임자", "개인정보관리책임자", "개인정보 관리책임자",
	"Privacy Policy", "privacy policy", "PRIVACY POLICY", "Privacy Notice", "Cookie Policy", "Cookie Settings", "Cookies Settings",
}

// chromeFree returns line without the site chrome in it: "" for a row of
// links ('|') or the 이메일무단수집거부 notice, else line with the
// chromePhrases taken out.
func chromeFree(line string) string {
	if strings.IndexByte(line, '|') >= 0 || strings.Contains(line, "무단") && strings.Contains(line, "수집") && strings.Contains(line, "거부") {
		return ""
	}
	for _, p := range chromePhrases {
		if strings.Contains(line, p) {
			line = strings.ReplaceAll(line, p, " ")
		}
	}
	return line
}

// bodySignal reports whether text is a policy in its sentences.
func bodySignal(text string) bool {
	terms, lines := policySignal(text)
	return terms >= minPolicyTerms && lines >= minPolicyLines
}

// policySignal counts the distinct policy terms text uses outside its site
// chrome (up to minPolicyTerms) and the lines that use one (up to
// minPolicyLines).
func policySignal(text string) (terms, lines int) {
	var seen uint64 // bit i: term i seen
	for len(text) > 0 && (terms < minPolicyTerms || lines < minPolicyLines) {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if line = chromeFree(line); line == "" {
			continue
		}
		m := termBits(line, line)
		if m == 0 || terms < minPolicyTerms && bits.OnesCount64(seen|m) < minPolicyTerms {
			m |= spacedTerms(line)
		}
		if m == 0 {
			continue
		}
		lines++
		seen |= m
		terms = bits.OnesCount64(seen)
	}
	return min(terms, minPolicyTerms), min(lines, minPolicyLines)
}

// spacedTerms returns the policy terms a line uses with spaces inside them
// ("개인 정보") or in another case ("Privacy"), as bits: the line compacted
// and lowercased, which costs a copy of it.
func spacedTerms(line string) uint64 {
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, line)
	return termBits(compact, strings.ToLower(line))
}

func termBits(korean, english string) uint64 {
	var m uint64
	for i, w := range policyTermsKorean {
		if strings.Contains(korean, w) {
			m |= 1 << i
		}
	}
	for i, w := range policyTermsEnglish {
		if strings.Contains(english, w) {
			m |= 1 << (len(policyTermsKorean) + i)
		}
	}
	return m
}
