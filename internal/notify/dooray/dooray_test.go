package dooray_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/notify/dooray"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/post"
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

// TestRefusedWith200: Dooray! can answer HTTP 200 and say in its body that
// it did not post the message. That is a failed delivery whose error
// carries the service's resultMessage: permanent (the same message would be
// refused again) unless the result code is a retryable HTTP status.
func TestRefusedWith200(t *testing.T) {
	for _, c := range []struct {
		name  string
		code  int
		msg   string
		retry bool
	}{
		{"invalid", -400, "Invalid botIconImage url", false},
		{"busy", 503, "일시적으로 처리할 수 없습니다", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusOK)
				io.WriteString(w, dooraysResult(false, c.code, c.msg+" "+r.URL.Path))
			}))
			defer rcv.Close()
			n := newNotifier(t, rcv.URL+"/services/1/2/SECRET-TOKEN", "ko")
			for _, send := range []func() (bool, error){
				func() (bool, error) { return n.Send(context.Background(), notifytest.Changed()) },
				func() (bool, error) { return n.SendDigest(context.Background(), notifytest.Baselines(3)) },
			} {
				retry, err := send()
				var se *post.StatusError
				if !errors.As(err, &se) || !se.Refused || se.Code != 200 || se.Result != c.code || retry != c.retry {
					t.Fatalf("Send = %v, %v; want a refusal with result %d, retry=%v", retry, err, c.code, c.retry)
				}
				if !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), fmt.Sprint(c.code)) {
					t.Errorf("the error does not carry the service's answer: %v", err)
				}
				notifytest.AssertNoLeak(t, err, "SECRET-TOKEN")
			}
		})
	}
	// isSuccessful true, or a 200 without Dooray!'s header, is a delivery.
	for _, body := range []string{dooraysResult(true, 0, ""), "", "ok", `{"header":{}}`} {
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
		retry, err := newNotifier(t, rcv.URL, "ko").Send(context.Background(), notifytest.Changed())
		rcv.Close()
		if err != nil || retry {
			t.Errorf("200 %q: Send = %v, %v; want delivered", body, retry, err)
		}
	}
}
