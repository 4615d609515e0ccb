package retry

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryable(t *testing.T) {
	for code, want := range map[int]bool{200: false, 301: false, 400: false, 404: false, 408: true, 410: false, 429: true, 500: true, 503: true, 599: true, 600: false} {
		if got := Retryable(code); got != want {
			t.Errorf("Retryable(%d) = %v", code, got)
		}
	}
}

func TestParseAfter(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 2.5 ", 2500 * time.Millisecond, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"NaN", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"999999999", MaxAfter, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{now.Add(72 * time.Hour).Format(http.TimeFormat), MaxAfter, true},
	}
	for _, tt := range tests {
		got, ok := ParseAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	lo := func() float64 { return 0 }
	hi := func() float64 { return 0.999999 }
	for attempt, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 8: time.Hour, 100: time.Hour} {
		if got := Backoff(attempt, 30*time.Second, time.Hour, lo); got != want/2 {
			t.Errorf("attempt %d low = %s, want %s", attempt, got, want/2)
		}
		if got := Backoff(attempt, 30*time.Second, time.Hour, hi); got < want*99/100 || got > want {
			t.Errorf("attempt %d high = %s, want about %s", attempt, got, want)
		}
		if got := Backoff(attempt, 30*time.Second, time.Hour, nil); got != want*3/4 {
			t.Errorf("attempt %d mid = %s, want %s", attempt, got, want*3/4)
		}
	}
}

func FuzzParseAfter(f *testing.F) {
	f.Add("120")
	f.Add("Wed, 21 Oct 2026 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseAfter(v, time.Unix(0, 0))
		if d < 0 || d > MaxAfter || (!ok && d != 0) {
			t.Fatalf("ParseAfter(%q) = %s, %v", v, d, ok)
		}
	})
}
