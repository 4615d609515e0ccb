package slack_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/slack"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestPayloadGolden(t *testing.T) {
	notifytest.GoldenCases(t, *update, func(e message.Event, lang string) (any, error) {
		n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x", Lang: lang}, nil)
		if err != nil {
			return nil, err
		}
		return n.Build(e)
	})
}

func TestDigestGolden(t *testing.T) {
	n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.BuildDigest(notifytest.Baselines(4))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	notifytest.Golden(t, "digest_ko.golden", append(b, '\n'), *update)
	big, err := n.BuildDigest(notifytest.Baselines(45))
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, big)
}

// TestNoLiteralMarkup: the diff's ~~old~~ **new** never reaches Slack, which
// reads ~x~ and *x*, and no diff is shown as code.
func TestNoLiteralMarkup(t *testing.T) {
	n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.Build(notifytest.Changed())
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, bl := range p.Blocks {
		if bl.Text != nil {
			texts = append(texts, bl.Text.Text)
		}
	}
	b := []byte(strings.Join(texts, "\n"))
	for _, bad := range []string{"~~", "**", "```"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("payload contains %q: %s", bad, b)
		}
	}
	for _, want := range []string{"~없음~", "*&lt;배송 대행사&gt; &amp; 결제 대행사*\u200b"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("payload lacks %q", want)
		}
	}
	if c := strings.Count(string(b), "dabit"); c != 1 {
		t.Errorf("the blocks name the target %d times, want once (the header): %s", c, b)
	}
}

// TestPromiseQuotedOnce: two violations resting on the same promise quote it
// once.
func TestPromiseQuotedOnce(t *testing.T) {
	n, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var page message.Event
	for _, c := range notifytest.Cases() {
		if c.Name == "changed_page" {
			page = c.Event
		}
	}
	p, err := n.Build(page)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	if c := strings.Count(string(b), "홈페이지 공지사항을 통하여 고지할 것입니다"); c != 1 {
		t.Errorf("the promise is quoted %d times, want once: %s", c, b)
	}
	if c := strings.Count(p.Blocks[0].Text.Text, "dabit"); c != 1 {
		t.Errorf("header names the target %d times", c)
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
		s := regexp.MustCompile(`<https://[^|<>]+\|[^<>]+>`).ReplaceAllString(b.Text.Text, "")
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
	checkLimits(t, p)
}

func checkLimits(t *testing.T, p slack.Payload) {
	t.Helper()
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
	blank, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/services/T/B/x", Template: `{{define "title"}}{{" "}}{{end}}{{define "body"}}{{""}}{{end}}`}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := blank.Build(notifytest.Changed()); err != nil || p.Blocks[0].Text.Text == "" || p.Blocks[1].Type != "divider" {
		t.Errorf("blank templates: header %q, second block %q, %v; want the headline and no empty section", p.Blocks[0].Text.Text, p.Blocks[1].Type, err)
	}
	if _, err := slack.New(slack.Config{Name: "team", URL: "https://hooks.slack.com/x", Template: `{{define "body"}}{{.Missing}}{{end}}`}, nil); err == nil {
		t.Error("a broken template was accepted")
	}
}

// slackService answers like Slack's incoming webhooks: "ok" with 200, or a
// plain-text error code with the status Slack uses for it.
var slackService = notifytest.Service{
	OK: notifytest.Answer{Code: 200, ContentType: "text/plain", Body: "ok"},
	Answers: []notifytest.Answer{
		{Path: "gone", Code: 404, ContentType: "text/plain", Body: "no_service"},
		{Path: "archived", Code: 410, ContentType: "text/plain", Body: "channel_is_archived"},
		{Path: "denied", Code: 403, ContentType: "text/plain", Body: "action_prohibited"},
		{Path: "blocks", Code: 400, ContentType: "text/plain", Body: "invalid_blocks"},
		{Path: "limited", Code: 429, ContentType: "text/plain", Body: "rate_limited", Header: map[string]string{"Retry-After": "30"}, Retry: true, RetryAfter: 30 * time.Second},
		{Path: "down", Code: 500, ContentType: "text/plain", Body: "internal_error", Retry: true},
	},
	Validate: func(r *http.Request, body []byte) *notifytest.Answer {
		bad := func(code string) *notifytest.Answer {
			return &notifytest.Answer{Code: 400, ContentType: "text/plain", Body: code}
		}
		var p struct {
			Text   string `json:"text"`
			Blocks []struct {
				Type     string            `json:"type"`
				Text     *slack.Text       `json:"text"`
				Elements []json.RawMessage `json:"elements"`
			} `json:"blocks"`
		}
		if err := json.Unmarshal(body, &p); err != nil || r.Header.Get("Content-Type") != "application/json" {
			return bad("invalid_payload")
		}
		if p.Text == "" && len(p.Blocks) == 0 {
			return bad("no_text")
		}
		if len(p.Blocks) > 50 {
			return bad("invalid_blocks")
		}
		for _, b := range p.Blocks {
			switch b.Type {
			case "header":
				if b.Text == nil || b.Text.Type != "plain_text" || b.Text.Text == "" || utf8.RuneCountInString(b.Text.Text) > 150 {
					return bad("invalid_blocks")
				}
			case "section":
				if b.Text == nil || b.Text.Text == "" || utf8.RuneCountInString(b.Text.Text) > 3000 {
					return bad("invalid_blocks")
				}
			case "context", "actions":
				if len(b.Elements) == 0 || len(b.Elements) > 10 {
					return bad("invalid_blocks")
				}
			case "divider":
			default:
				return bad("invalid_blocks")
			}
		}
		return nil
	},
}

func TestServiceAnswers(t *testing.T) {
	notifytest.CheckService(t, slackService, func(url string) notifytest.Sender {
		n, err := slack.New(slack.Config{Name: "team", URL: url}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return n
	})
}
