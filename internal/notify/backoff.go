package notify

import (
	"time"

	"github.com/monitord/monitord/internal/retry"
)

// Backoff parameters of NextAttempt.
const (
	BackoffBase   = 30 * time.Second
	BackoffFactor = 2 // the doubling of internal/retry.Backoff
	BackoffCap    = time.Hour
)

// NextAttempt returns when to try an event again after attempt failed
// attempts (1 after the first): BackoffBase × BackoffFactor^(attempt−1),
// capped at BackoffCap, with "equal jitter" (a random point in the upper half
// of that delay, so retries of many events spread out yet never come sooner
// than half the backoff). A receiver's retryAfter is a floor: the next attempt
// is never earlier than now+retryAfter. rnd returns values in [0, 1)
// (math/rand/v2.Float64); nil means no jitter (the midpoint).
func NextAttempt(attempt int, now time.Time, retryAfter time.Duration, rnd func() float64) time.Time {
	return now.Add(max(retry.Backoff(attempt, BackoffBase, BackoffCap, rnd), retryAfter))
}
