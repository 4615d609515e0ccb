package jandi_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"slices"
	"strings"
	"testing"

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
	tests := []struct {
		golden, lang string
		event        func() message.Event
	}{
		{"changed_ko.golden", "ko", notifytest.Changed},
		{"baseline_en.golden", "en", notifytest.Baseline},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			p, err := newNotifier(t, "https://wh.jandi.com/connect-api/webhook/1/x", tt.lang).Build(tt.event())
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			notifytest.Golden(t, tt.golden, append(b, '\n'), *update)
		})
	}
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
	if !strings.Contains(p.Body, "[[개인정보 처리방침 변경: dabit]](https://shop.example.co.kr/policy/privacy)") {
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
