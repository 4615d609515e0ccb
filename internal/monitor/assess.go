package monitor

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

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

// policyMarkers are the words whose presence says a text is a privacy policy.
// Korean policies name themselves or their subject many times; one stray
// footer link is not enough, so the Korean marker must appear at least twice.
var policyMarkers = []string{"개인정보", "privacy"}

// assess returns nil when text may be stored as a version of a target whose
// current text is currentSize bytes long (0 when there is none). sameRules is
// false when the extraction rules changed since the current version: the
// shrink test is then meaningless and skipped.
func assess(text string, currentSize int, sameRules bool) error {
	n := utf8.RuneCountInString(text)
	if n < minPolicyRunes {
		return fmt.Errorf("%w: the extracted text has only %d characters (at least %d expected); check the target's selector or whether the site serves an error page", ErrNotPolicy, n, minPolicyRunes)
	}
	lower := strings.ToLower(text)
	marked := strings.Count(text, policyMarkers[0]) >= 2 || strings.Contains(lower, policyMarkers[1])
	if !marked {
		return fmt.Errorf("%w: the text never mentions 개인정보 (personal information); it looks like a maintenance, login or error page", ErrNotPolicy)
	}
	if sameRules && currentSize > 0 && float64(len(text)) < minShrinkRatio*float64(currentSize) {
		return fmt.Errorf("%w: the text shrank from %d to %d bytes; treated as a broken page, not a new version (if the policy really became this short, the next checks will keep failing: review it with 'monitord extract')", ErrNotPolicy, currentSize, len(text))
	}
	return nil
}
