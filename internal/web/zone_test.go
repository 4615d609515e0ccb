package web_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// TestOneTimeZone: every time the API answers with is in the configured
// zone (Asia/Seoul: +09:00), none in UTC, as the webhook payloads'
// detected_at; zero times are left out or zero.
func TestOneTimeZone(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{})
	stamp := regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(Z|[+-]\d\d:\d\d)"`)
	for _, path := range []string{"/api/targets", "/api/targets/alpha/versions", "/api/events", "/api/chain"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		found := 0
		for _, m := range stamp.FindAllStringSubmatch(string(b), -1) {
			found++
			if m[1] != "+09:00" && m[0] != `"0001-01-01T00:00:00Z"` {
				t.Errorf("%s: %s is not in +09:00", path, m[0])
			}
		}
		if found == 0 {
			t.Errorf("%s: no timestamps to check in %s", path, b)
		}
	}
	evs, err := f.source().Events(context.Background(), snapshot.EventFilter{})
	if err != nil || len(evs) == 0 || evs[0].Deliveries == nil {
		t.Fatalf("events: %v %v", evs, err)
	}
	if loc := evs[0].CreatedAt.Location(); loc != f.cfg.Notice.Location {
		t.Errorf("created_at in %v, want %v", loc, f.cfg.Notice.Location)
	}
}
