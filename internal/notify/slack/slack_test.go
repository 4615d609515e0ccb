package slack_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/slack"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

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
			n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x", Lang: tt.lang}, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := n.Build(tt.event())
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

func TestEscaping(t *testing.T) {
	if got := slack.Escape("<!channel> & <b>"); got != "&lt;!channel&gt; &amp; &lt;b&gt;" {
		t.Errorf("Escape = %q", got)
	}
	n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.Build(notifytest.Changed())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Blocks {
		if b.Text == nil || b.Text.Type != "mrkdwn" {
			continue
		}
		// Only our own link syntax may use < and >.
		s := strings.ReplaceAll(b.Text.Text, "<https://shop.example.co.kr/policy/privacy|dabit(shop.example.co.kr)>", "")
		if strings.ContainsAny(s, "<>") {
			t.Errorf("unescaped < or > in %q", b.Text.Text)
		}
	}
}

func TestLimitsWithHugeEvent(t *testing.T) {
	n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.Build(notifytest.Huge())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocks) > 50 {
		t.Errorf("%d blocks, Slack allows 50", len(p.Blocks))
	}
	for _, b := range p.Blocks {
		if b.Text == nil {
			continue
		}
		limit := 3000
		if b.Type == "header" {
			limit = 150
		}
		if c := utf8.RuneCountInString(b.Text.Text); c > limit {
			t.Errorf("%s block has %d characters, limit %d", b.Type, c, limit)
		}
		if !utf8.ValidString(b.Text.Text) {
			t.Errorf("%s block is not valid UTF-8", b.Type)
		}
		if i := strings.LastIndexByte(b.Text.Text, '&'); i >= 0 && !strings.Contains(b.Text.Text[i:], ";") {
			t.Errorf("%s block ends in half an entity: …%q", b.Type, b.Text.Text[max(0, i-10):])
		}
	}
	if c := utf8.RuneCountInString(p.Text); c > 3000 {
		t.Errorf("fallback text has %d characters", c)
	}
}

func TestSend(t *testing.T) {
	rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	n, err := slack.New(slack.Config{Name: "team", URL: rcv.URL + "/services/T/B/x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if retry, err := n.Send(context.Background(), notifytest.Changed()); err != nil || retry {
		t.Fatalf("Send = %v, %v", retry, err)
	}
	r := rcv.Requests()[0]
	if r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
	}
	var p slack.Payload
	if err := json.Unmarshal(r.Body, &p); err != nil || p.Text == "" || p.Blocks[0].Type != "header" {
		t.Errorf("payload = %+v, %v", p, err)
	}
}

func TestTemplateOverride(t *testing.T) {
	n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x",
		Template: `{{define "title"}}[개인정보] {{.Event.Target.Name}}{{end}}`}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.Build(notifytest.Changed())
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Blocks[0].Text.Text; got != "[개인정보] dabit" {
		t.Errorf("header = %q", got)
	}
	if _, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/x", Template: `{{define "body"}}{{.Missing}}{{end}}`}, nil); err == nil {
		t.Error("a broken template was accepted")
	}
}
