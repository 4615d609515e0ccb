package metrics

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

var t0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// stableNames is the metric contract; renaming one breaks dashboards.
var stableNames = []string{
	"monitord_checks_total",
	"monitord_check_duration_seconds",
	"monitord_violations_total",
	"monitord_versions_stored",
	"monitord_targets",
	"monitord_outbox_pending",
	"monitord_events",
	"monitord_store_size_bytes",
	"monitord_last_success_timestamp_seconds",
	"monitord_target_failing",
}

func text(effective string) string {
	return fmt.Sprintf("개인정보 처리방침\n시행일자: %s\n제1조 (목적)\n회사는 주문 처리를 위하여 이름과 연락처를 처리합니다.\n", effective)
}

// fill records two versions of "a" (two events, two webhooks each), a run
// of failures of "b" that raised target.failing (no webhook), and one
// version of "gone", which is not configured.
func fill(t testing.TB, st *snapshot.Store) {
	t.Helper()
	ctx := context.Background()
	for i, eff := range []string{"2026-11-01", "2026-11-20"} {
		obs := snapshot.Observation{Target: "a", URL: "https://a.example.kr/p", At: t0.AddDate(0, 0, i), Status: 200, Text: text(eff), Rules: "r"}
		_, err := st.Record(ctx, obs, func(o snapshot.Outcome) ([]snapshot.Event, error) {
			typ := "policy.changed"
			if o.Baseline() {
				typ = "policy.baseline"
			}
			return []snapshot.Event{{ID: fmt.Sprintf("evt_a_%d", i), Type: typ, Webhooks: []string{"ops", "chat"}}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := st.MarkDelivered("evt_a_0", "ops", t0, 200); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Record(ctx, snapshot.Observation{Target: "gone", At: t0, Status: 200, Text: text("2026-01-01"), Rules: "r"}, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		_, err := st.RecordFailure(ctx, "b", snapshot.Failure{At: t0.Add(time.Duration(i) * time.Hour), Error: "timeout"}, func(s snapshot.TargetState) ([]snapshot.Event, error) {
			if s.ConsecutiveFailures == 3 {
				return []snapshot.Event{{ID: "evt_b_failing", Type: snapshot.TypeTargetFailing}}, nil
			}
			return nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func setup(t *testing.T) (*prometheus.Registry, *Metrics) {
	t.Helper()
	st := snapshottest.Open(t)
	fill(t, st)
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.WatchStore(reg, st, func() []string { return []string{"a", "b", "c"} })
	return reg, m
}

func TestNamesStable(t *testing.T) {
	reg, m := setup(t)
	m.ObserveCheck(monitor.Result{Target: "a", Status: monitor.StatusChanged, Duration: 1500 * time.Millisecond,
		Violations: []notice.Violation{{Rule: notice.RuleShortNotice}, {Rule: notice.RuleRetroactive}}})
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	have := map[string]bool{}
	for _, mf := range mfs {
		have[mf.GetName()] = true
	}
	for _, name := range stableNames {
		if !have[name] {
			t.Errorf("metric %s is missing", name)
		}
		if n, err := testutil.GatherAndCount(reg, name); err != nil || n == 0 {
			t.Errorf("GatherAndCount(%s) = %d, %v", name, n, err)
		}
	}
	if len(have) != len(stableNames) {
		t.Errorf("registered %d metric families, the contract lists %d: update stableNames and the package doc together", len(have), len(stableNames))
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

func TestObserveCheck(t *testing.T) {
	_, m := setup(t)
	for _, r := range []monitor.Result{
		{Status: monitor.StatusChanged, Duration: 2 * time.Second, Violations: []notice.Violation{{Rule: notice.RuleShortNotice}}},
		{Status: monitor.StatusChanged, Duration: 30 * time.Millisecond, Violations: []notice.Violation{{Rule: notice.RuleShortNotice}, {Rule: notice.RuleLateNotice}}},
		{Status: monitor.StatusFailed, Duration: 45 * time.Second},
		{Status: monitor.StatusUnchanged, Duration: 80 * time.Millisecond},
	} {
		m.ObserveCheck(r)
	}
	for _, c := range []struct {
		c    prometheus.Collector
		want float64
	}{
		{m.checks.WithLabelValues("changed"), 2},
		{m.checks.WithLabelValues("failed"), 1},
		{m.checks.WithLabelValues("unchanged"), 1},
		{m.checks.WithLabelValues("baseline"), 0},
		{m.violations.WithLabelValues("short_notice"), 2},
		{m.violations.WithLabelValues("late_notice"), 1},
		{m.violations.WithLabelValues("retroactive"), 0},
	} {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("%v = %v, want %v", c.c, got, c.want)
		}
	}
	want := `
# HELP monitord_check_duration_seconds Duration of one check of one target, from fetch to store.
# TYPE monitord_check_duration_seconds histogram
monitord_check_duration_seconds_bucket{le="0.05"} 1
monitord_check_duration_seconds_bucket{le="0.1"} 2
monitord_check_duration_seconds_bucket{le="0.25"} 2
monitord_check_duration_seconds_bucket{le="0.5"} 2
monitord_check_duration_seconds_bucket{le="1"} 2
monitord_check_duration_seconds_bucket{le="2.5"} 3
monitord_check_duration_seconds_bucket{le="5"} 3
monitord_check_duration_seconds_bucket{le="10"} 3
monitord_check_duration_seconds_bucket{le="20"} 3
monitord_check_duration_seconds_bucket{le="30"} 3
monitord_check_duration_seconds_bucket{le="60"} 4
monitord_check_duration_seconds_bucket{le="+Inf"} 4
monitord_check_duration_seconds_sum 47.11
monitord_check_duration_seconds_count 4
`
	if err := testutil.CollectAndCompare(m.duration, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

func TestStoreCollector(t *testing.T) {
	_, m := setup(t)
	want := fmt.Sprintf(`
# HELP monitord_events Alert deliveries in the store by event type and delivery state; an event routed to no webhook counts once with state "none".
# TYPE monitord_events gauge
monitord_events{state="delivered",type="policy.baseline"} 1
monitord_events{state="none",type="target.failing"} 1
monitord_events{state="pending",type="policy.baseline"} 1
monitord_events{state="pending",type="policy.changed"} 2
# HELP monitord_last_success_timestamp_seconds Unix time of the last successful check of a configured target.
# TYPE monitord_last_success_timestamp_seconds gauge
monitord_last_success_timestamp_seconds{target="a"} %d
# HELP monitord_outbox_pending Alert deliveries pending (outbox depth).
# TYPE monitord_outbox_pending gauge
monitord_outbox_pending 3
# HELP monitord_target_failing 1 while a target.failing alert stands for a configured target, else 0.
# TYPE monitord_target_failing gauge
monitord_target_failing{target="a"} 0
monitord_target_failing{target="b"} 1
monitord_target_failing{target="c"} 0
# HELP monitord_targets Targets in the configuration.
# TYPE monitord_targets gauge
monitord_targets 3
# HELP monitord_versions_stored Versions stored, all targets.
# TYPE monitord_versions_stored gauge
monitord_versions_stored 3
`, t0.AddDate(0, 0, 1).Unix())
	names := []string{"monitord_events", "monitord_last_success_timestamp_seconds", "monitord_outbox_pending",
		"monitord_target_failing", "monitord_targets", "monitord_versions_stored"}
	if err := testutil.CollectAndCompare(m.store, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	// The store size is whatever bbolt allocated; it is at least a few pages.
	if n := testutil.CollectAndCount(m.store, "monitord_store_size_bytes"); n != 1 {
		t.Errorf("store size series = %d", n)
	}
}

// TestEventsFollowTheStore: every scrape reads the store's counters, so a
// new event shows at the next scrape.
func TestEventsFollowTheStore(t *testing.T) {
	st := snapshottest.Open(t)
	fill(t, st)
	c := newStoreCollector(st, func() []string { return nil }, func() time.Time { return t0 })
	count := func() int {
		counts, err := st.EventCounts()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, v := range counts {
			n += v
		}
		return n
	}
	if n := count(); n != 5 {
		t.Fatalf("deliveries = %d, want 5", n)
	}
	if n := testutil.CollectAndCount(c, "monitord_events"); n == 0 {
		t.Fatal("no monitord_events series")
	}
	if _, err := st.RecordFailure(context.Background(), "z", snapshot.Failure{At: t0, Error: "x"}, func(snapshot.TargetState) ([]snapshot.Event, error) {
		return []snapshot.Event{{ID: "evt_z", Type: snapshot.TypeTargetFailing}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 6 {
		t.Errorf("after a new event: %d, want 6", n)
	}
	want := "# HELP monitord_events Alert deliveries in the store by event type and delivery state; an event routed to no webhook counts once with state \"none\".\n# TYPE monitord_events gauge\n"
	if err := testutil.CollectAndCompare(c, strings.NewReader(want+expectedEventLines(t, st)), "monitord_events"); err != nil {
		t.Error(err)
	}
}

// expectedEventLines renders the store's counts as exposition lines.
func expectedEventLines(t *testing.T, st *snapshot.Store) string {
	t.Helper()
	counts, err := st.EventCounts()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for k, n := range counts {
		fmt.Fprintf(&b, "monitord_events{state=%q,type=%q} %d\n", k.State, k.Type, n)
	}
	return b.String()
}

// TestClosedStore: a store read failure makes the scrape report an error
// instead of stale or zero values.
func TestClosedStore(t *testing.T) {
	st := snapshottest.Open(t)
	reg := prometheus.NewRegistry()
	New(reg).WatchStore(reg, st, func() []string { return []string{"a"} })
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Gather(); err == nil {
		t.Error("gather over a closed store: no error")
	}
}

func TestDoubleRegisterPanics(t *testing.T) {
	st := snapshottest.Open(t)
	reg := prometheus.NewRegistry()
	New(reg).WatchStore(reg, st, nil)
	defer func() {
		if recover() == nil {
			t.Error("registering twice did not panic")
		}
	}()
	New(reg).WatchStore(reg, st, nil)
}
