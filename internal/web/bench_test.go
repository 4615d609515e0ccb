package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/monitord/monitord/internal/web"
)

// BenchmarkHandler measures the handler alone (middleware, store reads,
// parsing and JSON) for the heaviest reads.
func BenchmarkHandler(b *testing.B) {
	f := newFixture(b)
	s, err := web.New(web.Options{Listen: "127.0.0.1:0", Token: testToken, Source: f.source()})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, path := range []string{"/api/targets", "/api/targets/alpha/versions/2", "/api/targets/alpha/diff", "/api/events"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+testToken)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
		})
	}
}
