package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestNotifyTest sends the test message to two receivers, one answering
// like Slack does to a good message and one like Slack refusing it, and
// reads the report; then one webhook by name, and an unknown name.
func TestNotifyTest(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/gone") {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("no_service"))
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	cfg := writeConfig(t, baseConfig("https://example.kr/privacy")+fmt.Sprintf(`
[[webhook]]
name = "team"
format = "slack"
url = "%[1]s/services/T/B/ok"

[[webhook]]
name = "old-team"
format = "slack"
url = "%[1]s/services/T/B/gone"
`, srv.URL))

	code, out, errs := cli(t, nil, "notify", "test", "-config", cfg)
	if code != exitFailure || !strings.Contains(out, "team") || !strings.Contains(out, "전송됨") ||
		!strings.Contains(out, "실패 (다시 시도해도 안 됨)") || !strings.Contains(out, "404") || !strings.Contains(out, "no_service") {
		t.Fatalf("exit %d\nout:\n%s\nerr:\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "웹훅 1개가 시험 메시지를 받지 못했습니다 (전체 2개)") {
		t.Errorf("stderr %q", errs)
	}
	if strings.Contains(out+errs, "/services/T/B") {
		t.Errorf("the report shows a webhook URL's path:\n%s%s", out, errs)
	}
	mu.Lock()
	first := bodies[0]
	mu.Unlock()
	if !strings.Contains(first, "monitord 알림 연결 시험") || !strings.Contains(first, `webhook \"team\"`) {
		t.Errorf("test message: %s", first)
	}

	// Flags after the argument, JSON out.
	code, out, _ = cli(t, nil, "notify", "test", "team", "-config", cfg, "-format", "json")
	var answers []notifyAnswer
	if err := json.Unmarshal([]byte(out), &answers); code != exitOK || err != nil || len(answers) != 1 || !answers[0].Delivered || answers[0].Webhook != "team" {
		t.Fatalf("one webhook: exit %d, %v, %s", code, err, out)
	}

	code, _, errs = cli(t, nil, "notify", "test", "nosuch", "-config", cfg)
	if code != exitUsage || !strings.Contains(errs, `"nosuch"`) || !strings.Contains(errs, "team, old-team") {
		t.Errorf("unknown webhook: exit %d, %q", code, errs)
	}
}
