package jandi_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/jandi"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func newNotifier(t *testing.T, url, lang string) *jandi.Notifier {
	t.Helper()
	n, err := jandi.New(jandi.Config{Name: "privacy-team", URL: url, Lang: lang}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPayloadGolden(t *testing.T) {
	notifytest.GoldenCases(t, *update, func(e message.Event, lang string) (any, error) {
		return newNotifier(t, "https://wh.jandi.com/connect-api/webhook/1/x", lang).Build(e)
	})
	p, err := newNotifier(t, "https://wh.jandi.com/connect-api/webhook/1/x", "ko").BuildDigest(notifytest.Baselines(12))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	notifytest.Golden(t, "digest_ko.golden", append(b, '\n'), *update)
}

// jandiService answers like JANDI's incoming webhooks, which require their
// Accept header and a body.
var jandiService = notifytest.Service{
	OK: notifytest.Answer{Code: 200, ContentType: "application/json", Body: "{}"},
	Answers: []notifytest.Answer{
		{Path: "gone", Code: 404, ContentType: "application/json", Body: `{"code": 40400, "msg": "Not found webhook"}`},
		{Path: "bad", Code: 400, ContentType: "application/json", Body: `{"code": 40000, "msg": "Bad Request"}`},
		{Path: "busy", Code: 503, ContentType: "application/json", Body: `{"code": 50300, "msg": "Service Unavailable"}`, Header: map[string]string{"Retry-After": "120"}, Retry: true, RetryAfter: 2 * time.Minute},
		{Path: "down", Code: 500, ContentType: "application/json", Body: `{"code": 50000, "msg": "Internal Server Error"}`, Retry: true},
	},
	Validate: func(r *http.Request, body []byte) *notifytest.Answer {
		bad := &notifytest.Answer{Code: 400, ContentType: "application/json", Body: `{"code": 40000, "msg": "Bad Request"}`}
		var p jandi.Payload
		if r.Header.Get("Accept") != jandi.Accept || json.Unmarshal(body, &p) != nil || strings.TrimSpace(p.Body) == "" {
			return bad
		}
		for _, c := range p.ConnectInfo {
			if c.Title == "" && c.Description == "" {
				return bad
			}
		}
		return nil
	},
}

func TestServiceAnswers(t *testing.T) {
	notifytest.CheckService(t, jandiService, func(url string) notifytest.Sender { return newNotifier(t, url, "ko") })
}

func TestSendHeadersAndShape(t *testing.T) {
	rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	if retry, err := newNotifier(t, rcv.URL+"/connect-api/webhook/1/tok", "ko").Send(context.Background(), notifytest.Changed()); err != nil || retry {
		t.Fatalf("Send = %v, %v", retry, err)
	}
	r := rcv.Requests()[0]
	if got := r.Header.Get("Accept"); got != "application/vnd.tosslab.jandi-v2+json" {
		t.Errorf("Accept = %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"body", "connectColor", "connectInfo"}; !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	var p jandi.Payload
	_ = json.Unmarshal(r.Body, &p)
	if !strings.Contains(p.Body, "[[위반 · 사전 고지 지연 — dabit 개인정보 처리방침 변경]](https://monitord.example.kr/targets/dabit/diff?from=v_b1&to=v_b2)") {
		t.Errorf("body lacks the JANDI link: %q", p.Body)
	}
	if len(p.ConnectInfo) != 4 || p.ConnectColor != "#D93F3F" {
		t.Errorf("cards = %d, color %s", len(p.ConnectInfo), p.ConnectColor)
	}
}

func TestHugeEventIsBounded(t *testing.T) {
	p, err := newNotifier(t, "https://wh.jandi.com/connect-api/webhook/1/x", "ko").Build(notifytest.Huge())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ConnectInfo) != 10 || !strings.HasPrefix(p.ConnectInfo[9].Title, "… 외 ") {
		t.Errorf("cards = %d, last %q", len(p.ConnectInfo), p.ConnectInfo[len(p.ConnectInfo)-1].Title)
	}
	for _, c := range p.ConnectInfo {
		if len([]rune(c.Description)) > 1000 || len([]rune(c.Title)) > 200 {
			t.Errorf("card too long: %d/%d runes", len([]rune(c.Title)), len([]rune(c.Description)))
		}
	}
	if len([]rune(p.Body)) > 2000 {
		t.Errorf("body has %d runes", len([]rune(p.Body)))
	}
}

func TestCompliantIsYellow(t *testing.T) {
	e := notifytest.Changed()
	e.Violations = nil
	p, err := newNotifier(t, "https://wh.jandi.com/connect-api/webhook/1/x", "ko").Build(e)
	if err != nil {
		t.Fatal(err)
	}
	if p.ConnectColor != "#FAC11B" {
		t.Errorf("color = %s", p.ConnectColor)
	}
}
