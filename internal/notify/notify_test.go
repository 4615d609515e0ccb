package notify_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/notify/notifytest"
)

// httpFormats are the formats that POST over HTTP: every one but e-mail,
// which internal/notify/email tests against a loopback SMTP server.
func httpFormats() []string {
	return slices.DeleteFunc(notify.Formats(), func(f string) bool { return f == "email" })
}

func TestNewFormats(t *testing.T) {
	for _, format := range append(httpFormats(), "", "SLACK") {
		t.Run(format, func(t *testing.T) {
			rcv := notifytest.NewReceiver(t, nil)
			s, err := notify.New(notify.WebhookConfig{Name: "w", URL: rcv.URL + "/hook", Format: format}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if retry, err := s.Send(context.Background(), notifytest.Changed()); err != nil || retry {
				t.Fatalf("Send = %v, %v", retry, err)
			}
			if n := len(rcv.Requests()); n != 1 {
				t.Errorf("receiver got %d requests", n)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	const url = "https://hooks.example/services/TOPSECRETPATH"
	tests := []struct {
		name string
		cfg  notify.WebhookConfig
		want string
	}{
		{"unknown format", notify.WebhookConfig{Name: "w", URL: url, Format: "hangouts"}, "json, slack, discord, jandi, teams, dooray, email"},
		{"e-mail over https", notify.WebhookConfig{Name: "w", URL: url, Format: "email", From: "a@example.kr", To: []string{"b@example.kr"}}, "smtp://"},
		{"unknown language", notify.WebhookConfig{Name: "w", URL: url, Lang: "ja"}, `"ko" or "en"`},
		{"secret on a chat format", notify.WebhookConfig{Name: "w", URL: url, Format: "slack", Secret: "whsec_c2VjcmV0"}, "secret only applies"},
		{"template on json", notify.WebhookConfig{Name: "w", URL: url, Template: `{{define "body"}}x{{end}}`}, "template only applies"},
		{"bad url", notify.WebhookConfig{Name: "w", URL: "hooks.example/services/TOPSECRETPATH", Format: "discord"}, "https://"},
		{"bad secret", notify.WebhookConfig{Name: "w", URL: url, Secret: "whsec_!!TOPSECRETPATH"}, "base64"},
		{"broken template", notify.WebhookConfig{Name: "w", URL: url, Format: "jandi", Template: `{{define "body"}}{{.Nope}}{{end}}`}, "template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := notify.New(tt.cfg, nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), `"w"`) {
				t.Errorf("error %q does not name the webhook", err)
			}
			notifytest.AssertNoLeak(t, err, "TOPSECRETPATH", tt.cfg.Secret)
		})
	}
}

// TestRetryAcrossFormats checks that every format classifies through the one
// policy and leaks no URL.
func TestRetryAcrossFormats(t *testing.T) {
	statuses := []struct {
		code  int
		retry bool
	}{{500, true}, {503, true}, {429, true}, {408, true}, {404, false}, {400, false}, {410, false}}
	for _, format := range httpFormats() {
		for _, st := range statuses {
			rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
				if st.code == 429 {
					w.Header().Set("Retry-After", "7")
				}
				w.WriteHeader(st.code)
			})
			s, err := notify.New(notify.WebhookConfig{Name: "w", URL: rcv.URL + "/SECRETPATH?token=SECRETQUERY", Format: format}, nil)
			if err != nil {
				t.Fatal(err)
			}
			retry, err := s.Send(context.Background(), notifytest.Baseline())
			if retry != st.retry || err == nil {
				t.Errorf("%s %d: Send = %v, %v; want retry=%v with an error", format, st.code, retry, err, st.retry)
			}
			var se *notify.StatusError
			if !errors.As(err, &se) || se.Code != st.code {
				t.Errorf("%s %d: no StatusError in %v", format, st.code, err)
			}
			var ra *notify.RetryAfterError
			if got := errors.As(err, &ra); got != (st.code == 429) || (got && ra.After != 7*time.Second) {
				t.Errorf("%s %d: RetryAfterError = %v (%+v)", format, st.code, got, ra)
			}
			notifytest.AssertNoLeak(t, err, "SECRETPATH", "SECRETQUERY")
		}
	}
}

// TestReceiverDownThenUp drives a sender the way the delivery worker will:
// retry with NextAttempt until the receiver answers 2xx, then stop. The
// receiver sees the same event id every time and accepts it once.
func TestReceiverDownThenUp(t *testing.T) {
	failures := 3
	seen := map[string]int{}
	rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("webhook-id")
		if failures > 0 {
			failures--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		seen[id]++
		w.WriteHeader(http.StatusOK)
	})
	s, err := notify.New(notify.WebhookConfig{Name: "w", URL: rcv.URL, Secret: "whsec_c2VjcmV0LWtleS0xMjM0NTY3ODkwMTI="}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := notifytest.Changed()
	clock := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	var schedule []time.Duration
	for attempt := 1; ; attempt++ {
		retry, err := s.Send(context.Background(), e)
		if err == nil {
			break
		}
		if !retry || attempt > 10 {
			t.Fatalf("attempt %d: retry=%v err=%v", attempt, retry, err)
		}
		next := notify.NextAttempt(attempt, clock, 0, func() float64 { return 0.5 })
		schedule = append(schedule, next.Sub(clock))
		clock = next
	}
	if len(seen) != 1 || seen[e.ID] != 1 {
		t.Errorf("receiver accepted %v, want event %s once", seen, e.ID)
	}
	if n := len(rcv.Requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	want := []time.Duration{22500 * time.Millisecond, 45 * time.Second, 90 * time.Second}
	for i := range want {
		if schedule[i] != want[i] {
			t.Errorf("backoff %d = %s, want %s", i, schedule[i], want[i])
		}
	}
}

func TestNextAttempt(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		attempt    int
		retryAfter time.Duration
		rnd        func() float64
		want       time.Duration
	}{
		{1, 0, func() float64 { return 0 }, 15 * time.Second},
		{1, 0, func() float64 { return 0.5 }, 22500 * time.Millisecond},
		{1, 0, nil, 22500 * time.Millisecond},
		{0, 0, func() float64 { return 0 }, 15 * time.Second},
		{-3, 0, func() float64 { return 0 }, 15 * time.Second},
		{2, 0, func() float64 { return 0 }, 30 * time.Second},
		{3, 0, func() float64 { return 0 }, time.Minute},
		{7, 0, func() float64 { return 0 }, 16 * time.Minute},
		{8, 0, func() float64 { return 0 }, 30 * time.Minute}, // 64 min capped to 60
		{8, 0, func() float64 { return 1 }, time.Hour},
		{1000, 0, func() float64 { return 1 }, time.Hour},
		{1, 2 * time.Minute, func() float64 { return 0 }, 2 * time.Minute},
		{8, 2 * time.Minute, func() float64 { return 0 }, 30 * time.Minute},
		{2, 3 * time.Hour, func() float64 { return 1 }, 3 * time.Hour},
		{1, 0, func() float64 { return -5 }, 15 * time.Second},
		{1, 0, func() float64 { return 7 }, 30 * time.Second},
	}
	for _, tt := range tests {
		if got := notify.NextAttempt(tt.attempt, now, tt.retryAfter, tt.rnd).Sub(now); got != tt.want {
			t.Errorf("NextAttempt(%d, retryAfter %s) = +%s, want +%s", tt.attempt, tt.retryAfter, got, tt.want)
		}
	}
}

func FuzzNextAttempt(f *testing.F) {
	f.Add(1, int64(0), 0.5)
	f.Add(64, int64(time.Hour), 0.0)
	f.Add(-1, int64(-5), 1.5)
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, attempt int, retryAfter int64, r float64) {
		ra := time.Duration(retryAfter)
		d := notify.NextAttempt(attempt, now, ra, func() float64 { return r }).Sub(now)
		if d < notify.BackoffBase/2 {
			t.Fatalf("delay %s below half the base", d)
		}
		if d < ra {
			t.Fatalf("delay %s ignores Retry-After %s", d, ra)
		}
		if d > max(notify.BackoffCap, ra) {
			t.Fatalf("delay %s above the cap", d)
		}
	})
}

func TestSummaryAndDay(t *testing.T) {
	if got := notify.Summary(notifytest.Baseline(), "ko"); !strings.HasPrefix(got, "rarelee(example.kr)의 개인정보 처리방침") {
		t.Errorf("Summary = %q", got)
	}
	if notify.DayOf(nil) != nil {
		t.Error("DayOf(nil) is not nil")
	}
}
