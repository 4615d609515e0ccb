package fetch

import (
	"net/http"
	"strings"
	"testing"
)

// page60K is a ~60 KB policy page: the test policy repeated, with a head
// full of script before its <meta charset>, as many Korean sites have.
func page60K(charset string) string {
	head := "<script>" + strings.Repeat("var tracker = {id: 'UA-0000', ready: true};\n", 40) + "</script><meta charset=\"" + charset + "\">"
	var b strings.Builder
	for b.Len() < 60<<10 {
		b.WriteString(policyBody)
	}
	return page(head, b.String())
}

func BenchmarkDecode(b *testing.B) {
	euc := toEUCKR(b, page60K("euc-kr"))
	utf := []byte(page60K("utf-8"))
	cases := []struct {
		name, ct string
		body     []byte
	}{
		{"euc-kr/header", "text/html; charset=euc-kr", euc},
		{"euc-kr/meta", "text/html", euc},
		{"euc-kr/sniffed", "text/plain", euc},
		{"utf-8/header", "text/html; charset=utf-8", utf},
		{"utf-8/meta", "text/html", utf},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Decode(c.body, c.ct); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFetch(b *testing.B) {
	euc := toEUCKR(b, page60K("euc-kr"))
	const etag = `"bench"`
	srv := serve(b, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/html")
		w.Write(euc)
	})
	c := newTestClient(b, Options{})
	for _, bc := range []struct {
		name string
		req  Request
	}{
		{"euc-kr-60KB", Request{URL: srv.URL}},
		{"not-modified", Request{URL: srv.URL, ETag: etag}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Fetch(b.Context(), bc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
