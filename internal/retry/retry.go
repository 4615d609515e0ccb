package retry

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxAfter caps a server's Retry-After: one asking for more than a day is
// not taken literally.
const MaxAfter = 24 * time.Hour

// Retryable reports whether an HTTP status is worth another attempt: 408,
// 429 and every 5xx. 2xx needs none; any other status will not get better.
func Retryable(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// ParseAfter reads a Retry-After value: delay-seconds (fractions accepted,
// as Discord sends them) or an HTTP-date, measured from now. It caps the
// wait at MaxAfter and reports false when the value is absent or malformed.
func ParseAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || secs != secs { // negative or NaN
			return 0, false
		}
		if secs > MaxAfter.Seconds() {
			return MaxAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), MaxAfter), true
	}
	return 0, false
}

// Backoff returns the wait after attempt failed attempts (1 after the
// first): base doubled per attempt, capped at limit, with "equal jitter" —
// a point in the upper half of that delay chosen by rnd (values in [0, 1),
// e.g. math/rand/v2.Float64; nil means the midpoint), so retries of many
// requests spread out yet never come sooner than half the backoff.
func Backoff(attempt int, base, limit time.Duration, rnd func() float64) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	j := 0.5
	if rnd != nil {
		j = min(max(rnd(), 0), 1)
	}
	return d/2 + time.Duration(j*float64(d/2))
}
