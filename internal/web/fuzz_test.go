package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// emptySource answers every read with nothing.
type emptySource struct{}

func (emptySource) Targets(context.Context) ([]web.TargetInfo, error) { return []web.TargetInfo{}, nil }
func (emptySource) Versions(context.Context, string) ([]snapshot.Version, error) {
	return nil, snapshot.ErrNotFound
}
func (emptySource) Text(context.Context, string, uint64) (string, error) {
	return "", snapshot.ErrNotFound
}
func (emptySource) Raw(context.Context, string, uint64) ([]byte, error) {
	return nil, snapshot.ErrNotFound
}
func (emptySource) Events(context.Context, snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error) {
	return nil, nil
}
func (emptySource) Failures(context.Context, string) ([]snapshot.Failure, error) { return nil, nil }
func (emptySource) Requeue(context.Context, string) error                        { return snapshot.ErrNotFound }

// FuzzAuthorization: a request gets through exactly when its header is
// "Bearer" (any case), one space, and the token.
func FuzzAuthorization(f *testing.F) {
	for _, seed := range []string{"", "Bearer " + testToken, "bearer " + testToken, "Bearer  " + testToken, "Bearer " + testToken + " ",
		"Basic " + testToken, "Bearer", "Bearer " + testToken[:20], testToken, "Bearer \x00" + testToken} {
		f.Add(seed)
	}
	s, err := web.New(web.Options{Listen: "0.0.0.0:8080", Token: testToken, Source: emptySource{}})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, header string) {
		req := httptest.NewRequest(http.MethodGet, "/api/targets", nil)
		req.Header["Authorization"] = []string{header}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		scheme, cred, _ := strings.Cut(header, " ")
		want := strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(cred) == testToken
		if got := w.Code == http.StatusOK; got != want {
			t.Fatalf("header %q: status %d, want granted=%v", header, w.Code, want)
		}
		if w.Code != http.StatusOK && w.Code != http.StatusUnauthorized {
			t.Fatalf("header %q: status %d", header, w.Code)
		}
	})
}

// FuzzQuery: no query string or path makes a read endpoint fail on the
// server side; bad input is a 4xx with a JSON error.
func FuzzQuery(f *testing.F) {
	for _, seed := range [][2]string{
		{"alpha", "from=1&to=3"}, {"alpha", "from=99"}, {"alpha", "format=html&to=1"}, {"beta", ""},
		{"nope", "limit=5&state=failed"}, {"%ZZ", "from=-1"}, {"alpha", "limit=99999999999999999999"}, {"alpha", "type=x&to=0"},
	} {
		f.Add(seed[0], seed[1])
	}
	fx := newFixture(f)
	s, err := web.New(web.Options{Listen: "127.0.0.1:0", Source: fx.source()})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, name, query string) {
		for _, p := range []string{"/api/targets/" + url.PathEscape(name) + "/diff", "/api/events", "/api/targets/" + url.PathEscape(name) + "/versions/" + url.PathEscape(query)} {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+p, nil)
			req.URL.RawQuery = query
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("GET %s?%s: %d %s", p, query, w.Code, w.Body)
			}
			if w.Code >= 400 && !strings.Contains(w.Body.String(), `"error"`) {
				t.Fatalf("GET %s?%s: %d without a JSON error: %s", p, query, w.Code, w.Body)
			}
		}
	})
}
