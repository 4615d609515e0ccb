package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/webhook"
)

// The example of the Standard Webhooks specification.
const (
	specSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTimestamp = 1614265330
	specPayload   = `{"test": 2432232314}`
	specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignKnownAnswer(t *testing.T) {
	key, err := webhook.DecodeSecret(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got := webhook.Sign(key, specID, specTimestamp, []byte(specPayload)); got != specSignature {
		t.Errorf("Sign = %q, want %q", got, specSignature)
	}
}

// verify is a receiver's check written from the specification alone: it does
// not call the package's signing code.
func verify(secret string, h http.Header, body []byte, now time.Time) (ok bool, why string) {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return false, "missing header"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false, "bad timestamp"
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return false, "timestamp outside tolerance"
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false, "bad secret"
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := mac.Sum(nil)
	for _, s := range strings.Fields(sigs) { // space-delimited list per the spec
		version, b64, found := strings.Cut(s, ",")
		if !found || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return true, ""
		}
	}
	return false, "no matching signature"
}

func TestSendSignedEvent(t *testing.T) {
	const secret = "whsec_" + "c2VjcmV0LWtleS1mb3ItbW9uaXRvcmQtdGVzdHMtMDEyMzQ1Njc4OQ=="
	clock := time.Date(2026, 11, 22, 0, 10, 0, 0, time.UTC)
	rcv := notifytest.NewReceiver(t, nil)
	n, err := webhook.New(webhook.Config{Name: "audit", URL: rcv.URL + "/hooks/monitord", Secret: secret, Now: func() time.Time { return clock }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := notifytest.Changed()
	for range 2 { // a retry keeps the id
		retry, err := n.Send(context.Background(), e)
		if err != nil || retry {
			t.Fatalf("Send = %v, %v", retry, err)
		}
	}
	reqs := rcv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(reqs))
	}
	for _, r := range reqs {
		if ok, why := verify(secret, r.Header, r.Body, clock.Add(time.Second)); !ok {
			t.Errorf("independent verification failed: %s", why)
		}
		if r.Header.Get("webhook-id") != e.ID {
			t.Errorf("webhook-id = %q, want the event id %q", r.Header.Get("webhook-id"), e.ID)
		}
		if r.Header.Get("webhook-timestamp") != strconv.FormatInt(clock.Unix(), 10) {
			t.Errorf("webhook-timestamp = %q, want %d", r.Header.Get("webhook-timestamp"), clock.Unix())
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		if r.Method != http.MethodPost || r.Path != "/hooks/monitord" {
			t.Errorf("request = %s %s", r.Method, r.Path)
		}
		var back message.Event
		if err := json.Unmarshal(r.Body, &back); err != nil {
			t.Fatalf("body is not an event: %v", err)
		}
		if back.ID != e.ID || back.Type != e.Type || len(back.Sections) != 3 || back.Previous == nil || *back.Version.Effective != "2026-11-23" {
			t.Errorf("event did not round-trip: %+v", back)
		}
		if back.Summary != message.Summary(e, "ko") {
			t.Errorf("summary = %q, want the Korean summary filled in", back.Summary)
		}
		// Tampering breaks the signature.
		if ok, _ := verify(secret, r.Header, append(append([]byte(nil), r.Body...), ' '), clock); ok {
			t.Error("a changed body still verifies")
		}
	}
}

func TestSendUnsignedAndSummaryKept(t *testing.T) {
	rcv := notifytest.NewReceiver(t, nil)
	n, err := webhook.New(webhook.Config{Name: "plain", URL: rcv.URL, Lang: "en"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := notifytest.Baseline()
	e.Summary = "kept as given"
	if _, err := n.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	r := rcv.Requests()[0]
	if r.Header.Get("webhook-signature") != "" || r.Header.Get("webhook-id") != e.ID {
		t.Errorf("headers = %v, want an id and no signature", r.Header)
	}
	if !strings.Contains(string(r.Body), `"summary":"kept as given"`) {
		t.Errorf("body = %s, want the caller's summary", r.Body)
	}
}

func TestSecretErrorsDoNotLeak(t *testing.T) {
	for _, s := range []string{"whsec_not*base64*SECRETVALUE", "whsec_", "plain-SECRETVALUE"} {
		_, err := webhook.New(webhook.Config{Name: "x", URL: "https://example.com/hook", Secret: s}, nil)
		if err == nil {
			t.Errorf("secret %q accepted", s)
			continue
		}
		notifytest.AssertNoLeak(t, err, "SECRETVALUE")
	}
	key, err := webhook.DecodeSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") // prefix optional
	if err != nil || len(key) != 24 {
		t.Errorf("DecodeSecret without prefix = %d bytes, %v", len(key), err)
	}
}

func TestSendFailureDoesNotLeak(t *testing.T) {
	rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad hook "+r.URL.String(), http.StatusForbidden)
	})
	const secret = "whsec_c2VjcmV0LWtleS1mb3ItbW9uaXRvcmQ="
	n, err := webhook.New(webhook.Config{Name: "x", URL: rcv.URL + "/t/PATHTOKEN?k=QUERYTOKEN", Secret: secret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	retry, err := n.Send(context.Background(), notifytest.Baseline())
	if retry || err == nil {
		t.Fatalf("Send = %v, %v; want a permanent error", retry, err)
	}
	notifytest.AssertNoLeak(t, err, "PATHTOKEN", "QUERYTOKEN", secret, "c2VjcmV0")
}

func BenchmarkSign(b *testing.B) {
	key, _ := webhook.DecodeSecret(specSecret)
	body, _ := json.Marshal(notifytest.Changed())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = webhook.Sign(key, specID, specTimestamp, body)
	}
}
