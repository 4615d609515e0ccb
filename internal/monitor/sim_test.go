package monitor

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/storage/postgres"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// simFetcher serves every target's page from memory and counts fetches per
// target and slot (the fake clock's hour). From changeSlot on, every tenth
// target serves a changed page.
type simFetcher struct {
	clk        *clock
	t0         time.Time
	changeSlot int64
	mu         sync.Mutex
	hits       map[[2]int64]int // {target, slot} → fetches
	total      atomic.Int64
}

func (f *simFetcher) slot() int64 { return int64(f.clk.now().Sub(f.t0) / time.Hour) }

func (f *simFetcher) Fetch(_ context.Context, r fetch.Request) (*fetch.Response, error) {
	i, err := strconv.ParseInt(r.URL[strings.LastIndexByte(r.URL, '/')+1:], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("sim: bad url %s", r.URL)
	}
	slot := f.slot()
	f.mu.Lock()
	f.hits[[2]int64{i, slot}]++
	f.mu.Unlock()
	f.total.Add(1)
	retention := "3년"
	if i%10 == 0 && slot >= f.changeSlot {
		retention = "5년"
	}
	page := policyPage(fmt.Sprintf("시뮬%06d", i), retention, "2026-10-01", "2026-10-08")
	return &fetch.Response{URL: r.URL, Status: http.StatusOK, Header: http.Header{}, MediaType: "text/html",
		Charset: "utf-8", Raw: []byte(page), Text: page}, nil
}

// sharedSchedule returns the shared schedule on a fresh PostgreSQL database
// (pgtest) and the pool that reaches it.
func sharedSchedule(t testing.TB) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	dsn := pgtest.Start(t)
	st, err := postgres.Open(context.Background(), dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return st, pool
}

func simConfig(t testing.TB, n, concurrency int) *config.Config {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "[storage]\npath = %q\n[server]\nlisten = \"\"\n", filepath.Join(t.TempDir(), "m.db"))
	fmt.Fprintf(&b, "[schedule]\ndefault = \"@hourly\"\njitter = \"0s\"\n[fetch]\nconcurrency = %d\nretries = 0\n", concurrency)
	for i := range n {
		fmt.Fprintf(&b, "\n[[target]]\nname = \"t%06d\"\nurl = \"http://sim.invalid/p/%d\"\n", i, i)
	}
	cfg, err := config.Parse([]byte(b.String()), "sim.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestSimulationSharedSchedule runs workers in one process on one shared
// schedule in a real PostgreSQL, with a fake fetcher and a fake clock, for
// several hourly slots: every target is checked exactly once per slot, the
// changed pages are found once. MONITORD_SIM_TARGETS sets the size (default
// 2,000; the figures in docs/scale.md come from 100,000).
func TestSimulationSharedSchedule(t *testing.T) {
	n := 2000
	if v := os.Getenv("MONITORD_SIM_TARGETS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("MONITORD_SIM_TARGETS=%q: want a positive count", v)
		}
	}
	const workers, concurrency, slots = 4, 8, 3
	sched, pool := sharedSchedule(t)
	cfg := simConfig(t, n, concurrency)
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, cfg.Notice.Location)
	clk := &clock{t: t0}
	f := &simFetcher{clk: clk, t0: t0, changeSlot: 2, hits: map[[2]int64]int{}}

	var changed atomic.Int64
	var checks atomic.Int64
	var scheds []*Scheduler
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	// The workers share the store as they would across machines: every
	// check is recorded in PostgreSQL, where the schedule is.
	st := sched
	for w := range workers {
		c := NewChecker(cfg, st, f, nil, clk.now)
		s := NewScheduler(cfg, SchedulerOptions{
			Checker: c, Shared: sched, Worker: fmt.Sprintf("sim-%d", w), Lease: time.Minute, ClaimPoll: 5 * time.Millisecond,
			OnDone: func(r Result) {
				checks.Add(1)
				if r.Status == StatusChanged {
					changed.Add(1)
				}
			},
		})
		scheds = append(scheds, s)
		wg.Go(func() {
			if err := s.Run(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	defer func() { cancel(); wg.Wait() }()

	sizeBefore := dbSize(t, pool)
	var elapsed []time.Duration
	var sizes []int64
	for slot := range int64(slots) {
		start := time.Now()
		want := int64(n) * (slot + 1)
		deadline := start.Add(time.Duration(n) * 250 * time.Millisecond) // bounded: 250 ms a check (-race on a loaded machine)
		for checks.Load() < want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got := checks.Load(); got != want {
			t.Fatalf("slot %d: %d checks after %s, want %d", slot, got, time.Since(start), want)
		}
		elapsed = append(elapsed, time.Since(start))
		// Settle: every lease completed before the clock moves on.
		for time.Now().Before(deadline) && leased(t, pool) > 0 {
			time.Sleep(5 * time.Millisecond)
		}
		sizes = append(sizes, dbSize(t, pool))
		clk.add(time.Hour)
	}
	cancel()
	wg.Wait()

	dups := 0
	for k, c := range f.hits {
		if c != 1 {
			dups++
			t.Errorf("target %d slot %d fetched %d times", k[0], k[1], c)
		}
	}
	if len(f.hits) != n*slots {
		t.Errorf("%d target-slots fetched, want %d", len(f.hits), n*slots)
	}
	if want := int64(n / 10); changed.Load() != want && n%10 == 0 {
		t.Errorf("%d changes found, want %d", changed.Load(), want)
	}
	var conflicts, claims int64
	for _, s := range scheds {
		st := s.SharedStats()
		conflicts += st.Conflicts
		claims += st.Claims
	}
	for i, e := range elapsed {
		t.Logf("slot %d: %d checks in %s: %.0f checks/s; database %d MB (+%d KB)", i, n, e.Round(time.Millisecond),
			float64(n)/e.Seconds(), sizes[i]>>20, (sizes[i]-append([]int64{sizeBefore}, sizes...)[i])>>10)
	}
	t.Logf("%d targets, %d workers × %d: %d claims, %d claim conflicts, %d duplicate checks", n, workers, concurrency, claims, conflicts, dups)
	t.Logf("database per target after the baseline: %.0f B; per changed version: %.0f B (%d changes); unchanged slot: %.0f B/target",
		float64(sizes[0]-sizeBefore)/float64(n), float64(sizes[2]-sizes[1])/float64(max(changed.Load(), 1)), changed.Load(),
		float64(sizes[1]-sizes[0])/float64(n))
	logTableSizes(t, pool)
}

// logTableSizes logs every table's size with its indexes and TOAST.
func logTableSizes(t testing.TB, pool *pgxpool.Pool) {
	rows, err := pool.Query(context.Background(), `SELECT relname, pg_total_relation_size(oid), reltuples::bigint FROM pg_class
		WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var name string
		var size, tuples int64
		if err := rows.Scan(&name, &size, &tuples); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s %d KB", name, size>>10))
	}
	t.Logf("tables: %s", strings.Join(parts, ", "))
}

func dbSize(t testing.TB, pool *pgxpool.Pool) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(context.Background(), `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func leased(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM target_schedule WHERE lease_token IS NOT NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
