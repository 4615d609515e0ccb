package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
)

// laneReceiver is a webhook receiver that records the order of what it gets
// and the most requests it had in flight at once. Once one request has been
// answered (the deliverer probes a webhook with one delivery first), a lone
// request waits (at most a second) for a second one, so a serial deliverer
// cannot pass as a parallel one.
type laneReceiver struct {
	mu          sync.Mutex
	inflight    int
	maxInflight int
	second      chan struct{}
	once        sync.Once
	got         []message.Event
}

func (r *laneReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.inflight++
	r.maxInflight = max(r.maxInflight, r.inflight)
	lone := r.inflight == 1 && len(r.got) > 0
	if r.inflight >= 2 {
		r.once.Do(func() { close(r.second) })
	}
	r.mu.Unlock()
	if lone {
		select {
		case <-r.second:
		case <-time.After(time.Second):
		}
	}
	var e message.Event
	err := json.Unmarshal(body, &e)
	r.mu.Lock()
	r.inflight--
	if err == nil {
		r.got = append(r.got, e)
	}
	r.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

// Deliveries of one pass go out in parallel, at most deliverPerWebhook to
// one webhook at a time, and each target's events arrive in the order they
// were stored.
func TestDeliveriesParallelOrderedPerTarget(t *testing.T) {
	rcv := &laneReceiver{second: make(chan struct{})}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	s := newSite(t)
	targets := map[string]string{}
	const nTargets, nVersions = 6, 3
	for i := range nTargets {
		targets[fmt.Sprintf("t%d", i)] = s.url(fmt.Sprintf("/p%d", i))
	}
	cfg := testConfig(t, fmt.Sprintf("[[webhook]]\nurl = %q\nformat = \"json\"\n", srv.URL), targets)
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	for v := range nVersions {
		for i := range nTargets {
			s.set(fmt.Sprintf("/p%d", i), page{body: policyPage(fmt.Sprintf("회사%d", i), strconv.Itoa(v+1)+"년", "2026-10-01", "2026-10-08")})
			if r := mustCheck(t, c, cfg, fmt.Sprintf("t%d", i)); r.Err != nil {
				t.Fatal(r.Err)
			}
		}
		clk.add(time.Hour)
	}
	senders, err := Senders(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(DelivererOptions{Store: st, Senders: senders, Now: clk.now})
	if n, err := d.Pass(context.Background()); err != nil || n != nTargets*nVersions {
		t.Fatalf("pass attempted %d, %v; want %d", n, err, nTargets*nVersions)
	}
	srv.Close() // every request answered
	if len(rcv.got) != nTargets*nVersions {
		t.Fatalf("receiver got %d events, want %d", len(rcv.got), nTargets*nVersions)
	}
	if rcv.maxInflight < 2 || rcv.maxInflight > deliverPerWebhook {
		t.Errorf("at most %d deliveries in flight to one webhook, want 2..%d", rcv.maxInflight, deliverPerWebhook)
	}
	last := map[string]int{}
	for _, e := range rcv.got {
		id, err := strconv.Atoi(e.Version.ID)
		if err != nil {
			t.Fatalf("event %s: version id %q", e.ID, e.Version.ID)
		}
		if id <= last[e.Target.Name] {
			t.Errorf("target %s: version %d arrived after version %d", e.Target.Name, id, last[e.Target.Name])
		}
		last[e.Target.Name] = id
	}
}
