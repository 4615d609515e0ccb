package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// slackLike is a Slack-shaped receiver whose answer can be switched.
type slackLike struct {
	mu     sync.Mutex
	status int
	bodies []string
}

func newSlackLike(t *testing.T) (*slackLike, *httptest.Server) {
	r := &slackLike{status: 200}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		code := r.status
		r.mu.Unlock()
		w.WriteHeader(code)
		if code == 400 {
			_, _ = w.Write([]byte("invalid_blocks"))
		}
	}))
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *slackLike) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

func (r *slackLike) answer(code int) {
	r.mu.Lock()
	r.status = code
	r.mu.Unlock()
}

// digestSetup checks n new targets once (n baselines) with a json and a
// slack webhook.
func digestSetup(t *testing.T, n int) (*slackLike, *receiver, *Deliverer, *snapshot.Store, *clock) {
	t.Helper()
	key := []byte("digest-digest-digest-digest-dige")
	js, jsSrv := newReceiver(t, key, 0)
	sl, slSrv := newSlackLike(t)
	hooks := webhookTOML(jsSrv.URL, key) + fmt.Sprintf("[[webhook]]\nname = \"team\"\nformat = \"slack\"\nurl = %q\n", slSrv.URL+"/services/T/B/x")
	s := newSite(t)
	targets := map[string]string{}
	for i := range n {
		p := fmt.Sprintf("/p%d", i)
		s.set(p, page{body: policyPage(fmt.Sprintf("요약%d", i), "3년", "2026-10-01", "2026-10-08")})
		targets[fmt.Sprintf("t%d", i)] = s.url(p)
	}
	cfg := testConfig(t, hooks, targets)
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	for name := range targets {
		mustCheck(t, c, cfg, name)
	}
	senders, err := Senders(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sl, js, NewDeliverer(DelivererOptions{Store: st, Senders: senders, Now: clk.now}), st, clk
}

func deliveriesTo(t *testing.T, st *snapshot.Store, webhook string) []snapshot.Delivery {
	t.Helper()
	evs, err := st.Events(snapshot.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []snapshot.Delivery
	for _, e := range evs {
		for _, d := range e.Deliveries {
			if d.Webhook == webhook {
				out = append(out, d)
			}
		}
	}
	return out
}

// A first run's baselines reach Slack as one digest and the JSON webhook
// as one POST each; every event's delivery is recorded on its own.
func TestFirstRunDigest(t *testing.T) {
	sl, js, d, st, _ := digestSetup(t, 5)
	if _, err := d.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := js.snapshot(); len(got) != 5 {
		t.Errorf("json webhook got %d posts, want one per baseline (5)", len(got))
	}
	got := sl.got()
	if len(got) != 1 || !strings.Contains(got[0], "개인정보 처리방침 5곳 확인 시작") {
		t.Fatalf("slack got %d posts, want one digest: %q", len(got), got)
	}
	for i := range 5 {
		if !strings.Contains(got[0], fmt.Sprintf("t%d", i)) {
			t.Errorf("digest lacks target t%d", i)
		}
	}
	for _, dl := range deliveriesTo(t, st, "team") {
		if dl.State != snapshot.StateDelivered || dl.Attempts != 1 {
			t.Errorf("delivery %s: %s after %d attempts, want delivered after 1", dl.EventID, dl.State, dl.Attempts)
		}
	}
}

// A digest that fails is retried as a whole with the same backoff as one
// event, and a refusal fails every one of its deliveries for good.
func TestDigestFailureIsEachDeliverysFailure(t *testing.T) {
	sl, _, d, st, clk := digestSetup(t, 3)
	sl.answer(503)
	if _, err := d.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	ds := deliveriesTo(t, st, "team")
	for _, dl := range ds {
		if dl.State != snapshot.StatePending || dl.Attempts != 1 || dl.LastStatus != 503 || !dl.NextAttempt.After(clk.now()) {
			t.Errorf("after a 503: %+v, want pending, 1 attempt, status 503, a later next attempt", dl)
		}
	}
	if n := len(sl.got()); n != 1 {
		t.Errorf("one failing digest was posted %d times in a pass", n)
	}
	clk.add(2 * time.Hour)
	sl.answer(400)
	if _, err := d.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, dl := range deliveriesTo(t, st, "team") {
		if dl.State != snapshot.StateFailed || dl.LastStatus != 400 || !strings.Contains(dl.LastError, "invalid_blocks") {
			t.Errorf("after a 400: %+v, want failed with Slack's answer", dl)
		}
	}
	// Re-queued, the same ids go out again, as one digest.
	evs, _ := st.Events(snapshot.EventFilter{State: snapshot.StateFailed})
	for _, e := range evs {
		if err := st.Requeue(e.ID, clk.now()); err != nil {
			t.Fatal(err)
		}
	}
	sl.answer(200)
	if _, err := d.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := sl.got(); len(got) != 3 || !strings.Contains(got[2], "3곳") {
		t.Errorf("after re-queue: %d posts, last %q", len(got), got[len(got)-1])
	}
}

// The daemon's loop holds baselines while a first run is still storing
// them, then sends one digest.
func TestDigestWaitsForQuiet(t *testing.T) {
	sl, js, d, _, clk := digestSetup(t, 2)
	if _, err := d.pass(context.Background(), holdArriving); err != nil {
		t.Fatal(err)
	}
	if n := len(sl.got()); n != 0 {
		t.Fatalf("slack got %d posts while baselines were still arriving", n)
	}
	if got, _ := js.snapshot(); len(got) != 2 {
		t.Errorf("json webhook got %d posts; it is never held", len(got))
	}
	clk.add(digestQuiet)
	if _, err := d.pass(context.Background(), holdArriving); err != nil {
		t.Fatal(err)
	}
	got := sl.got()
	if len(got) != 1 {
		t.Fatalf("slack got %d posts after the quiet period, want one digest", len(got))
	}
	var p struct{ Text string }
	if err := json.Unmarshal([]byte(got[0]), &p); err != nil || !strings.Contains(p.Text, "2곳") {
		t.Errorf("digest text %q, %v", p.Text, err)
	}
}
