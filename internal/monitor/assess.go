package monitor

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	policyTermsKorean  = []string{"개인정보", "개인보호", "정보주체", "처리방침", "취급방침", "수집", "보유", "파기", "제3자", "위탁", "쿠키", "동의", "보호책임자", "열람"}
	policyTermsEnglish = []string{"privacy", "personal data", "personal information", "cookie", "third part", "retention", "retain", "collect", "consent"}
)

const minPolicyTerms = 3

// assess returns nil when text may be stored as a version of a target whose
// current text is currentSize bytes long (0 when there is none). sameRules is
// false when the extraction rules changed since the current version: the
// shrink test is then meaningless and skipped.
func assess(text string, currentSize int, sameRules bool) error {
	n := utf8.RuneCountInString(text)
	if n < minPolicyRunes {
		return fmt.Errorf("%w: the extracted text has only %d characters (at least %d expected); check the target's selector or whether the site serves an error page", ErrNotPolicy, n, minPolicyRunes)
	}
	if n := policyTermCount(text); n < minPolicyTerms {
		return fmt.Errorf("%w: the text uses %d of the words privacy policies use (개인정보, 수집, 보유, 파기, 제3자, privacy, ...), at least %d expected; it looks like a maintenance, login or error page", ErrNotPolicy, n, minPolicyTerms)
	}
	if sameRules && currentSize > 0 && float64(len(text)) < minShrinkRatio*float64(currentSize) {
		return fmt.Errorf("%w from %d to %d bytes; treated as a broken page, not a new version, unless the same text is found on %d consecutive checks", ErrShrank, currentSize, len(text), shrinkConfirmations)
	}
	return nil
}

// policyTermCount counts the distinct policy terms text uses, up to
// minPolicyTerms. A real policy names them plainly, so the raw text is
// tried first; only a text that falls short is compacted and lowercased
// (which costs a copy of it).
func policyTermCount(text string) int {
	if n := countTerms(text, text); n >= minPolicyTerms {
		return n
	}
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text)
	return countTerms(compact, strings.ToLower(text))
}

func countTerms(korean, english string) int {
	n := 0
	for _, w := range policyTermsKorean {
		if strings.Contains(korean, w) {
			if n++; n == minPolicyTerms {
				return n
			}
		}
	}
	for _, w := range policyTermsEnglish {
		if strings.Contains(english, w) {
			if n++; n == minPolicyTerms {
				return n
			}
		}
	}
	return n
}
