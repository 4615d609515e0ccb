package dooray_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/notify/dooray"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const hook = "https://hook.dooray.com/services/1234/5678/SECRET"

func newNotifier(t *testing.T, url, lang string) *dooray.Notifier {
	t.Helper()
	n, err := dooray.New(dooray.Config{Name: "privacy-room", URL: url, Lang: lang}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPayloadGolden(t *testing.T) {
	notifytest.GoldenCases(t, *update, func(e message.Event, lang string) (any, error) {
		return newNotifier(t, hook, lang).Build(e)
	})
	p, err := newNotifier(t, hook, "ko").BuildDigest(notifytest.Baselines(4))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	notifytest.Golden(t, "digest_ko.golden", append(b, '\n'), *update)
}

func dooraysResult(ok bool, code int, msg string) string {
	b, _ := json.Marshal(map[string]any{"header": map[string]any{"isSuccessful": ok, "resultCode": code, "resultMessage": msg}})
	return string(b)
}

// doorayService answers like a Dooray! incoming webhook: a JSON header with
// isSuccessful.
var doorayService = notifytest.Service{
	OK: notifytest.Answer{Code: 200, ContentType: "application/json", Body: dooraysResult(true, 0, "")},
	Answers: []notifytest.Answer{
		{Path: "gone", Code: 404, ContentType: "application/json", Body: dooraysResult(false, -404, "hook not found")},
		{Path: "bad", Code: 400, ContentType: "application/json", Body: dooraysResult(false, -400, "invalid request body")},
		{Path: "down", Code: 503, ContentType: "text/html", Body: "<html>503 Service Temporarily Unavailable</html>", Retry: true},
	},
	Validate: func(r *http.Request, body []byte) *notifytest.Answer {
		bad := &notifytest.Answer{Code: 400, ContentType: "application/json", Body: dooraysResult(false, -400, "invalid request body")}
		var p dooray.Payload
		if json.Unmarshal(body, &p) != nil || strings.TrimSpace(p.Text) == "" || p.BotName == "" {
			return bad
		}
		for _, a := range p.Attachments {
			if a.Title == "" && a.Text == "" || utf8.RuneCountInString(a.Text) > 1000 {
				return bad
			}
		}
		return nil
	},
}

func TestServiceAnswers(t *testing.T) {
	notifytest.CheckService(t, doorayService, func(url string) notifytest.Sender { return newNotifier(t, url, "ko") })
}
