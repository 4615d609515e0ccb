package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestCheckThroughRunningDaemon: while `monitord run` holds the store,
// `monitord check` asks it (POST /api/check) to do the checks, prints the
// same results and summary as a check in its own process, and the versions
// and alerts are the daemon's.
func TestCheckThroughRunningDaemon(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	var changed atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), `"policy.changed"`) {
			changed.Add(1)
		}
	}))
	t.Cleanup(hook.Close)
	port := freePort(t)
	const token = "a-test-token-long-enough-for-the-server-0123456789"
	body := strings.Replace(baseConfig(site.srv.URL+"/p"), "listen = \"\"", fmt.Sprintf("listen = \"127.0.0.1:%d\"\ntoken = \"env:MONITORD_TEST_TOKEN\"", port), 1) +
		fmt.Sprintf("[[webhook]]\nname = \"audit\"\nurl = %q\n", hook.URL)
	cfgPath := writeConfig(t, body)
	withToken := func(k string) string {
		if k == "MONITORD_TEST_TOKEN" {
			return token
		}
		return ""
	}
	if code, out, errs := cliEnv(t, withToken, "check", "-config", cfgPath); code != exitOK {
		t.Fatalf("first check: %d\n%s\n%s", code, out, errs)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var runOut, runErr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"run", "-config", cfgPath}, &env{stdin: strings.NewReader(""), stdout: &runOut, stderr: &runErr, getenv: withToken})
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("run exited %d:\n%s", code, runErr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("run did not stop")
		}
	}()
	waitReady(t, fmt.Sprintf("http://127.0.0.1:%d", port), &runErr)

	// The page changes with too little notice; the daemon checks it.
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	code, out, errs := cliEnv(t, withToken, "check", "-config", cfgPath, "-wait", "10s")
	if code != exitOK {
		t.Fatalf("check through the daemon: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "그 데몬이 확인합니다") {
		t.Errorf("check did not say the daemon does the checks:\n%s", errs)
	}
	for _, want := range []string{"chorok", "변경됨 v2", "! 공고 기간 부족", "점검 1, 첫 수집 0, 변경 1, 표기만 변경 0, 위반 3, 실패 0, 전송 대기 알림 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if changed.Load() != 1 {
		t.Errorf("the webhook got %d policy.changed alerts, want 1 (delivered by the daemon before check returned)", changed.Load())
	}
	if code, out, _ := cliEnv(t, withToken, "history", "chorok", "-config", cfgPath); code != exitOK || len(strings.Split(strings.TrimSpace(out), "\n")) != 3 {
		t.Errorf("history after the daemon's check: %d\n%s", code, out)
	}

	// -target and JSON, as without the daemon.
	code, out, errs = cliEnv(t, withToken, "check", "-target", "chorok", "-format", "json", "-config", cfgPath)
	var rep struct {
		Results []struct {
			Target, Status string
			Version        uint64
		} `json:"results"`
		Summary checkSummary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitOK {
		t.Fatalf("check -format json: exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	if len(rep.Results) != 1 || rep.Results[0].Status != "unchanged" || rep.Results[0].Version != 2 || rep.Summary.Checked != 1 {
		t.Errorf("json report: %+v", rep)
	}
	if code, _, errs := cliEnv(t, withToken, "check", "-target", "nosuch", "-config", cfgPath); code != exitUsage || !strings.Contains(errs, `"nosuch"`) {
		t.Errorf("unknown target through the daemon: exit %d\n%s", code, errs)
	}
	// The token rules of the API hold: a wrong token is refused.
	wrong := func(k string) string {
		if k == "MONITORD_TEST_TOKEN" {
			return "wrong-token-wrong-token-wrong-token-wrong-token"
		}
		return ""
	}
	if code, _, errs := cliEnv(t, wrong, "check", "-config", cfgPath); code != exitFailure || !strings.Contains(errs, "token") {
		t.Errorf("wrong token: exit %d\n%s", code, errs)
	}
}

// waitReady waits for base/readyz to answer 200.
func waitReady(t *testing.T, base string, log *syncBuffer) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatalf("/readyz never became ready:\n%s", log.String())
}
