package webhook_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/post"
	"github.com/monitord/monitord/internal/notify/webhook"
)

// A receiver that redirects is not counted as having the event: Go would
// follow a 301 with a bodyless GET that answers 200. Whatever client is
// given, the endpoint does not follow; the 3xx is a permanent failure.
func TestRedirectIsNotDelivery(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	for _, client := range []*http.Client{nil, {}, http.DefaultClient} {
		got = nil
		n, err := webhook.New(webhook.Config{Name: "x", URL: srv.URL + "/old"}, client)
		if err != nil {
			t.Fatal(err)
		}
		retry, err := n.Send(context.Background(), notifytest.Changed())
		var se *post.StatusError
		if err == nil || retry || !errors.As(err, &se) || se.Code != http.StatusMovedPermanently {
			t.Fatalf("redirect: retry=%v err=%v (requests %v), want a permanent 301 failure", retry, err, got)
		}
		if len(got) != 1 {
			t.Fatalf("the redirect was followed: %v", got)
		}
	}
	if http.DefaultClient.CheckRedirect != nil {
		t.Fatal("the shared default client was modified")
	}
}

// Secrets without their '=' padding are accepted, as the config accepts them.
func TestUnpaddedSecret(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdeX")
	for _, s := range []string{
		"whsec_" + base64.RawStdEncoding.EncodeToString(key),
		"whsec_" + base64.StdEncoding.EncodeToString(key),
		"  whsec_" + base64.StdEncoding.EncodeToString(key) + "\n",
	} {
		got, err := webhook.DecodeSecret(s)
		if err != nil || string(got) != string(key) {
			t.Fatalf("DecodeSecret(%q) = %q, %v", strings.TrimSpace(s), got, err)
		}
	}
}
