package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// cliEnv is cli with an environment of its own.
func cliEnv(t *testing.T, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	code := run(context.Background(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv})
	return code, out.String(), errb.String()
}

// TestReadersWithoutSecrets: a person reading versions and diffs needs no
// webhook secret. check runs with the secrets set; then every reading
// command runs with them unset (and flags after the arguments).
func TestReadersWithoutSecrets(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	var posts atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		http.Error(w, "rejected", http.StatusBadRequest) // failed for good: retry has something to re-queue
	}))
	t.Cleanup(hook.Close)
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/p")+`
[[webhook]]
name = "signed"
url = "env:MONITORD_TEST_HOOK"
secret = "env:MONITORD_TEST_SECRET"
`)
	secrets := func(k string) string {
		switch k {
		case "MONITORD_TEST_HOOK":
			return hook.URL
		case "MONITORD_TEST_SECRET":
			return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		}
		return ""
	}
	unset := func(string) string { return "" }

	if code, _, errs := cliEnv(t, unset, "check", "-config", cfg); code != exitUsage || !strings.Contains(errs, "MONITORD_TEST_SECRET") {
		t.Fatalf("check without the secrets: exit %d, want 2 naming the variable:\n%s", code, errs)
	}
	site.set(page("3년", "2026-10-01", "2026-10-08"))
	if code, out, errs := cliEnv(t, secrets, "check", "-config", cfg, "-wait", "5s"); code != exitOK || posts.Load() == 0 {
		t.Fatalf("check: exit %d, %d posts\n%s\n%s", code, posts.Load(), out, errs)
	}
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	if code, out, errs := cliEnv(t, secrets, "check", "-config", cfg, "-wait", "5s"); code != exitOK {
		t.Fatalf("second check: exit %d\n%s\n%s", code, out, errs)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"targets", "-config", cfg}, "chorok"},
		{[]string{"history", "chorok", "-format", "json", "-config", cfg}, `"effective": "2026-10-21"`},
		{[]string{"show", "chorok", "1", "-config", cfg}, "3년간"},
		{[]string{"diff", "chorok", "-config", cfg}, "5년"},
		{[]string{"alerts", "-config", cfg, "-format", "json"}, `"policy.changed"`},
		{[]string{"extract", "-config", cfg, "-target", "chorok"}, "시행일자  2026-10-21"},
	} {
		code, out, errs := cliEnv(t, unset, c.args...)
		if code != exitOK || !strings.Contains(out, c.want) {
			t.Errorf("%v with the secrets unset: exit %d, want %q in\n%s\n%s", c.args, code, c.want, out, errs)
		}
	}

	// alerts retry only re-queues: no secret needed either.
	_, out, _ := cliEnv(t, unset, "alerts", "-config", cfg, "-state", "failed", "-format", "json", "-n", "1")
	var evs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &evs); err != nil || len(evs) != 1 {
		t.Fatalf("failed events: %v\n%s", err, out)
	}
	if code, out, errs := cliEnv(t, unset, "alerts", "-config", cfg, "retry", evs[0].ID); code != exitOK || !strings.Contains(out, evs[0].ID) {
		t.Fatalf("alerts -config FILE retry ID: exit %d\n%s\n%s", code, out, errs)
	}
}
