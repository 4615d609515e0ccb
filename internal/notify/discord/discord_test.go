package discord_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/notify/discord"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func newNotifier(t *testing.T, url, lang string) *discord.Notifier {
	t.Helper()
	n, err := discord.New(discord.Config{Name: "community", URL: url, Lang: lang}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPayloadGolden(t *testing.T) {
	notifytest.GoldenCases(t, *update, func(e message.Event, lang string) (any, error) {
		return newNotifier(t, "https://discord.com/api/webhooks/1/x", lang).Build(e)
	})
	p, err := newNotifier(t, "https://discord.com/api/webhooks/1/x", "ko").BuildDigest(notifytest.Baselines(4))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	notifytest.Golden(t, "digest_ko.golden", append(b, '\n'), *update)
	big, err := newNotifier(t, "https://discord.com/api/webhooks/1/x", "ko").BuildDigest(notifytest.Baselines(45))
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, big.Embeds[0])
}

// discordService answers like Discord's execute-webhook endpoint.
var discordService = notifytest.Service{
	OK: notifytest.Answer{Code: 204},
	Answers: []notifytest.Answer{
		{Path: "unknown", Code: 404, ContentType: "application/json", Body: `{"message": "Unknown Webhook", "code": 10015}`},
		{Path: "token", Code: 401, ContentType: "application/json", Body: `{"message": "Invalid Webhook Token", "code": 50027}`},
		{Path: "form", Code: 400, ContentType: "application/json", Body: `{"message": "Invalid Form Body", "code": 50035}`},
		{Path: "limited", Code: 429, ContentType: "application/json", Header: map[string]string{"Retry-After": "2.5"},
			Body: `{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}`, Retry: true, RetryAfter: 2500 * time.Millisecond},
		{Path: "down", Code: 502, ContentType: "text/html", Body: "<html>502 Bad Gateway</html>", Retry: true},
	},
	Validate: func(r *http.Request, body []byte) *notifytest.Answer {
		form := &notifytest.Answer{Code: 400, ContentType: "application/json", Body: `{"message": "Invalid Form Body", "code": 50035}`}
		var p discord.Payload
		if json.Unmarshal(body, &p) != nil || len(p.Embeds) == 0 || len(p.Embeds) > 10 {
			return form
		}
		for _, e := range p.Embeds {
			if units(e.Title) > discord.MaxTitle || units(e.Description) > discord.MaxDescription || len(e.Fields) > discord.MaxFields || e.Size() > discord.MaxTotal {
				return form
			}
			for _, f := range e.Fields {
				if f.Name == "" || f.Value == "" || units(f.Name) > discord.MaxFieldName || units(f.Value) > discord.MaxFieldValue {
					return form
				}
			}
		}
		return nil
	},
}

func TestServiceAnswers(t *testing.T) {
	notifytest.CheckService(t, discordService, func(url string) notifytest.Sender { return newNotifier(t, url, "ko") })
}

func units(s string) int { return len(utf16.Encode([]rune(s))) }

// checkLimits asserts every documented embed limit, counting as Discord does.
func checkLimits(t *testing.T, e discord.Embed) {
	t.Helper()
	check := func(what, s string, limit int) {
		t.Helper()
		if n := units(s); n > limit {
			t.Errorf("%s has %d characters, limit %d", what, n, limit)
		}
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8", what)
		}
	}
	check("title", e.Title, discord.MaxTitle)
	check("description", e.Description, discord.MaxDescription)
	check("footer", e.Footer.Text, discord.MaxFooter)
	if len(e.Fields) > discord.MaxFields {
		t.Errorf("%d fields, limit %d", len(e.Fields), discord.MaxFields)
	}
	total := units(e.Title) + units(e.Description) + units(e.Footer.Text)
	for i, f := range e.Fields {
		check("field name", f.Name, discord.MaxFieldName)
		check("field value", f.Value, discord.MaxFieldValue)
		if f.Name == "" || f.Value == "" {
			t.Errorf("field %d is empty: %+v", i, f)
		}
		if strings.Count(f.Value, "```")%2 != 0 {
			t.Errorf("field %d has an unclosed code block", i)
		}
		total += units(f.Name) + units(f.Value)
	}
	if total > discord.MaxTotal || total != e.Size() {
		t.Errorf("total %d characters (Size %d), limit %d", total, e.Size(), discord.MaxTotal)
	}
}

func TestLimitsWithHugeEvent(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		p, err := newNotifier(t, "https://discord.com/api/webhooks/1/x", lang).Build(notifytest.Huge())
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Embeds) != 1 {
			t.Fatalf("%d embeds", len(p.Embeds))
		}
		checkLimits(t, p.Embeds[0])
		if len(p.Embeds[0].Fields) == 0 {
			t.Error("all fields were dropped; the first violations should remain")
		}
	}
	// Normal events keep everything.
	p, err := newNotifier(t, "https://discord.com/api/webhooks/1/x", "ko").Build(notifytest.Changed())
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, p.Embeds[0])
	if got := len(p.Embeds[0].Fields); got != 3 {
		t.Errorf("%d fields, want one per changed section", got)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"가나다라", 3, "가나…"},
		{"a🔒b", 3, "a…"}, // the lock takes two units: it cannot fit with the ellipsis
		{"🔒🔒", 4, "🔒🔒"},
		{"🔒🔒🔒", 4, "🔒…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := discord.Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("개인정보 🔒 처리방침", 7)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if !utf8.ValidString(s) {
			return
		}
		n %= 8000
		got := discord.Truncate(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if n >= 0 && units(got) > n {
			t.Fatalf("Truncate(%q, %d) = %q has %d units", s, n, got, units(got))
		}
	})
}

func TestEscapeAndMentions(t *testing.T) {
	if got := discord.Escape("*bold* _x_ `c` @everyone"); got != "\\*bold\\* \\_x\\_ \\`c\\` @everyone" {
		t.Errorf("Escape = %q", got)
	}
	rcv := notifytest.NewReceiver(t, nil)
	if retry, err := newNotifier(t, rcv.URL+"/api/webhooks/1/tok", "ko").Send(context.Background(), notifytest.Changed()); err != nil || retry {
		t.Fatalf("Send = %v, %v", retry, err)
	}
	r := rcv.Requests()[0]
	if !strings.Contains(string(r.Body), `"allowed_mentions":{"parse":[]}`) {
		t.Errorf("body does not disable mentions: %s", r.Body)
	}
	if r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
	}
}

func TestRateLimited(t *testing.T) {
	rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2.5")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}`))
	})
	retry, err := newNotifier(t, rcv.URL+"/api/webhooks/1/SECRETTOKEN", "ko").Send(context.Background(), notifytest.Changed())
	if !retry || err == nil {
		t.Fatalf("Send = %v, %v; want retry", retry, err)
	}
	notifytest.AssertNoLeak(t, err, "SECRETTOKEN")
}

func BenchmarkBuildHuge(b *testing.B) {
	n, err := discord.New(discord.Config{Name: "b", URL: "https://discord.com/api/webhooks/1/x"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	e := notifytest.Huge()
	for b.Loop() {
		if _, err := n.Build(e); err != nil {
			b.Fatal(err)
		}
	}
}
