package teams_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/teams"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const hook = "https://prod-00.koreacentral.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET"

func newNotifier(t *testing.T, url, lang string) *teams.Notifier {
	t.Helper()
	n, err := teams.New(teams.Config{Name: "privacy-channel", URL: url, Lang: lang}, nil)
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

func TestEscape(t *testing.T) {
	if got := teams.Escape("*굵게* [링크](x)\n- 목록\n1. 번호"); got != `\*굵게\* \[링크\](x)`+"\n"+`\- 목록`+"\n"+`\1. 번호` {
		t.Errorf("Escape = %q", got)
	}
}

// workflowError is the JSON error body of a Power Automate / Logic Apps
// trigger.
func workflowError(code, msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	return string(b)
}

// teamsService answers like a Teams Workflows webhook: 202 Accepted, and the
// trigger's JSON errors.
var teamsService = notifytest.Service{
	OK: notifytest.Answer{Code: 202},
	Answers: []notifytest.Answer{
		{Path: "schema", Code: 400, ContentType: "application/json", Body: workflowError("InvalidRequestContent", "The input body for trigger 'manual' of type 'Request' did not match its schema definition.")},
		{Path: "sig", Code: 401, ContentType: "application/json", Body: workflowError("DirectApiAuthorizationRequired", "The request must be authenticated only by Shared Access scheme.")},
		{Path: "deleted", Code: 404, ContentType: "application/json", Body: workflowError("WorkflowNotFound", "The workflow 'abc' could not be found.")},
		{Path: "throttled", Code: 429, ContentType: "application/json", Header: map[string]string{"Retry-After": "17"},
			Body: workflowError("WorkflowRequestsThrottled", "Number of workflow requests exceeded the limit."), Retry: true, RetryAfter: 17 * time.Second},
		{Path: "gateway", Code: 502, ContentType: "application/json", Body: workflowError("BadGateway", "The server did not receive a response from an upstream server."), Retry: true},
	},
	Validate: func(r *http.Request, body []byte) *notifytest.Answer {
		bad := &notifytest.Answer{Code: 400, ContentType: "application/json", Body: workflowError("InvalidRequestContent", "The input body for trigger 'manual' of type 'Request' did not match its schema definition.")}
		if len(body) > teams.MaxBytes {
			return &notifytest.Answer{Code: 413, ContentType: "application/json", Body: workflowError("RequestEntityTooLarge", "The request content size exceeds the limit.")}
		}
		var p teams.Payload
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.Unmarshal(body, &p) != nil || p.Type != "message" || len(p.Attachments) != 1 {
			return bad
		}
		c := p.Attachments[0]
		if c.ContentType != teams.CardContentType || c.Content.Type != "AdaptiveCard" || c.Content.Version == "" || len(c.Content.Body) == 0 {
			return bad
		}
		var walk func([]teams.Element) bool
		walk = func(es []teams.Element) bool {
			for _, e := range es {
				switch e.Type {
				case "TextBlock":
					if e.Text == "" {
						return false
					}
				case "FactSet":
					if len(e.Facts) == 0 {
						return false
					}
				case "Container":
					if len(e.Items) == 0 || !walk(e.Items) {
						return false
					}
				default:
					return false
				}
			}
			return true
		}
		if !walk(c.Content.Body) {
			return bad
		}
		for _, a := range c.Content.Actions {
			if a.Type != "Action.OpenUrl" || a.URL == "" || a.Title == "" {
				return bad
			}
		}
		return nil
	},
}

func TestServiceAnswers(t *testing.T) {
	notifytest.CheckService(t, teamsService, func(url string) notifytest.Sender { return newNotifier(t, url, "ko") })
}
