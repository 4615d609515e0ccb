package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monitord/monitord/internal/lease"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// leasesFor returns the shared schedule on a fresh database.
func leasesFor(t *testing.T) (*Leases, *pgxpool.Pool) {
	t.Helper()
	st, err := Open(context.Background(), pgtest.Start(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.leases(), st.pool
}

var t0 = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func targets(n int, due time.Time) []lease.Target {
	out := make([]lease.Target, n)
	for i := range out {
		out[i] = lease.Target{Name: fmt.Sprintf("t%04d", i), Spec: "@hourly", FirstDue: due}
	}
	return out
}

func TestLeasesSyncIsIdempotent(t *testing.T) {
	l, pool := leasesFor(t)
	ctx := context.Background()
	ts := targets(3, t0)
	for range 2 {
		if err := l.SyncTargets(ctx, ts); err != nil {
			t.Fatal(err)
		}
	}
	// A claimed and completed target keeps its next due time across syncs
	// of the same configuration.
	got, _, err := l.ClaimTargets(ctx, "w1", t0, time.Minute, 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("claim = %v, %v", got, err)
	}
	next := t0.Add(time.Hour)
	if err := l.CompleteLease(ctx, got[0], next); err != nil {
		t.Fatal(err)
	}
	ts[1].Spec = "@daily" // a changed schedule moves the due time to FirstDue
	ts = append(ts[:2:2], lease.Target{Name: "new", Spec: "@hourly", FirstDue: t0})
	if err := l.SyncTargets(ctx, ts); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT target, spec, next_due FROM target_schedule ORDER BY target`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var name, spec string
		var due time.Time
		if err := rows.Scan(&name, &spec, &due); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %s %s", name, spec, due.UTC().Format(time.RFC3339)))
	}
	want := []string{
		"new @hourly 2026-12-02T09:00:00Z",
		"t0000 @hourly 2026-12-02T10:00:00Z", // completed: kept
		"t0001 @daily 2026-12-02T09:00:00Z",  // spec changed
		// t0002 removed from the configuration
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Fatalf("schedule after sync:\n%v\nwant\n%v", lines, want)
	}
}

func TestLeasesClaimExtendCompleteAndExpiry(t *testing.T) {
	l, _ := leasesFor(t)
	ctx := context.Background()
	if err := l.SyncTargets(ctx, targets(2, t0)); err != nil {
		t.Fatal(err)
	}
	// Not due yet.
	if got, _, err := l.ClaimTargets(ctx, "w1", t0.Add(-time.Second), time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("claim before due = %v, %v", got, err)
	}
	a, _, err := l.ClaimTargets(ctx, "w1", t0, 30*time.Second, 1)
	if err != nil || len(a) != 1 || a[0].Target != "t0000" || !a[0].Due.Equal(t0) || a[0].Spec != "@hourly" {
		t.Fatalf("first claim = %+v, %v", a, err)
	}
	// Held: another worker gets the other target only.
	b, _, err := l.ClaimTargets(ctx, "w2", t0.Add(10*time.Second), 30*time.Second, 10)
	if err != nil || len(b) != 1 || b[0].Target != "t0001" {
		t.Fatalf("second claim = %+v, %v", b, err)
	}
	// A heartbeat keeps the lease past its first expiry.
	a0, err := l.ExtendLease(ctx, a[0], t0.Add(20*time.Second), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := l.ClaimTargets(ctx, "w2", t0.Add(39*time.Second), 30*time.Second, 10); len(got) != 0 {
		t.Fatalf("claimed an extended lease: %+v", got)
	}
	// w2's lease on t0001 expired at t0+40s: w3 takes it over.
	c, _, err := l.ClaimTargets(ctx, "w3", t0.Add(41*time.Second), 30*time.Second, 10)
	if err != nil || len(c) != 1 || c[0].Target != "t0001" || c[0].Token == b[0].Token {
		t.Fatalf("take-over = %+v, %v", c, err)
	}
	// w2 comes back: its lease is gone.
	if _, err := l.ExtendLease(ctx, b[0], t0.Add(42*time.Second), 30*time.Second); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("extend a taken-over lease: %v, want ErrLost", err)
	}
	if err := l.CompleteLease(ctx, b[0], t0.Add(time.Hour)); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("complete a taken-over lease: %v, want ErrLost", err)
	}
	if err := l.CompleteLease(ctx, a0, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := l.CompleteLease(ctx, c[0], t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := l.ClaimTargets(ctx, "w1", t0.Add(59*time.Minute), time.Minute, 10); len(got) != 0 {
		t.Fatalf("claimed before the next slot: %+v", got)
	}
	got, _, err := l.ClaimTargets(ctx, "w1", t0.Add(time.Hour), time.Minute, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("next slot: %+v, %v", got, err)
	}
	// Released: due again at once for anyone.
	if err := l.ReleaseLease(ctx, got[0]); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := l.ClaimTargets(ctx, "w2", t0.Add(time.Hour), time.Minute, 10); len(again) != 1 || again[0].Target != got[0].Target {
		t.Fatalf("after release: %+v", again)
	}
}

// Many workers claiming at once never get the same target for a slot.
func TestLeasesConcurrentClaimsAreExclusive(t *testing.T) {
	l, _ := leasesFor(t)
	ctx := context.Background()
	const n, workers = 500, 8
	if err := l.SyncTargets(ctx, targets(n, t0)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]string{}
	conflicts := 0
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			me := fmt.Sprintf("w%d", w)
			for range n { // bounded: each round takes at least one target or stops
				got, c, err := l.ClaimTargets(ctx, me, t0, time.Hour, 7)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				conflicts += c
				for _, g := range got {
					if prev, dup := seen[g.Target]; dup {
						mu.Unlock()
						errs <- fmt.Errorf("%s claimed by %s and %s", g.Target, prev, me)
						return
					}
					seen[g.Target] = me
				}
				mu.Unlock()
				if len(got) == 0 && c == 0 {
					return
				}
				for _, g := range got {
					if err := l.CompleteLease(ctx, g, t0.Add(time.Hour)); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Fatalf("claimed %d targets, want %d", len(seen), n)
	}
	t.Logf("%d targets, %d workers: %d claim conflicts", n, workers, conflicts)
}

// Deliveries are claimed like targets: one worker each, until the lease
// expires or the delivery is marked.
func TestLeasesClaimDeliveries(t *testing.T) {
	l, pool := leasesFor(t)
	ctx := context.Background()
	for i := range 3 {
		id := fmt.Sprintf("evt_%d", i)
		ev := fmt.Sprintf(`{"id":%q,"type":"policy.changed","target":"t","created_at":"2026-12-02T09:00:00Z","payload":{"id":%q}}`, id, id)
		if _, err := pool.Exec(ctx, `INSERT INTO events (id, type, target, created_ns, doc) VALUES ($1, 'policy.changed', 't', $2, $3)`,
			id, nanos(t0), ev); err != nil {
			t.Fatal(err)
		}
		d := fmt.Sprintf(`{"event_id":%q,"webhook":"hook","state":"pending","attempts":0,"next_attempt":"2026-12-02T09:00:00Z","created_at":"2026-12-02T09:00:00Z"}`, id)
		if _, err := pool.Exec(ctx, `INSERT INTO deliveries (event_id, webhook, state, next_ns, doc) VALUES ($1, 'hook', 'pending', $2, $3)`,
			id, nanos(t0.Add(time.Duration(i)*time.Second)), d); err != nil {
			t.Fatal(err)
		}
	}
	a, err := l.ClaimDeliveries(ctx, "w1", t0.Add(time.Minute), 30*time.Second, 2)
	if err != nil || len(a) != 2 || a[0].EventID != "evt_0" || a[1].EventID != "evt_1" || a[0].Event.Type != "policy.changed" || string(a[0].Event.Payload) != `{"id":"evt_0"}` {
		t.Fatalf("first claim = %+v, %v", a, err)
	}
	b, err := l.ClaimDeliveries(ctx, "w2", t0.Add(time.Minute), 30*time.Second, 10)
	if err != nil || len(b) != 1 || b[0].EventID != "evt_2" {
		t.Fatalf("second claim = %+v, %v", b, err)
	}
	// evt_0 is delivered (its state moves); evt_1's worker dies: due
	// again for another once the lease has expired, under the same id.
	if _, err := pool.Exec(ctx, `UPDATE deliveries SET state = 'delivered' WHERE event_id = 'evt_0'`); err != nil {
		t.Fatal(err)
	}
	if c, _ := l.ClaimDeliveries(ctx, "w3", t0.Add(time.Minute+29*time.Second), 30*time.Second, 10); len(c) != 0 {
		t.Fatalf("claimed leased deliveries: %+v", c)
	}
	c, err := l.ClaimDeliveries(ctx, "w3", t0.Add(time.Minute+30*time.Second), 30*time.Second, 10)
	if err != nil || len(c) != 2 || c[0].EventID != "evt_1" || c[1].EventID != "evt_2" {
		t.Fatalf("after the leases expired = %+v, %v", c, err)
	}
}
