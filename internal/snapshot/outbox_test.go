package snapshot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// changeEvents is an events function like the monitor's: a baseline or a
// change raises one event for the given webhooks.
func changeEvents(hooks ...string) func(snapshot.Outcome) ([]snapshot.Event, error) {
	return func(o snapshot.Outcome) ([]snapshot.Event, error) {
		var evs []snapshot.Event
		if o.Recovered {
			evs = append(evs, snapshot.Event{ID: fmt.Sprintf("evt_%s_recovered_%d", o.Version.Target, o.Version.LastSeen.Unix()), Type: snapshot.TypeTargetRecovered, Webhooks: hooks})
		}
		typ := "policy.changed"
		switch {
		case !o.Kind.Stored() || o.Kind == snapshot.Technical:
			return evs, nil
		case o.Baseline():
			typ = "policy.baseline"
		}
		payload, err := json.Marshal(map[string]any{"target": o.Version.Target, "version": o.Version.ID})
		if err != nil {
			return nil, err
		}
		return append(evs, snapshot.Event{
			ID: fmt.Sprintf("evt_%s_%d", o.Version.Target, o.Version.ID), Type: typ,
			Version: o.Version.ID, Payload: payload, Webhooks: hooks,
		}), nil
	}
}

func TestEventsAreWrittenWithTheVersion(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	text := policyText("08", 3000)
	out, err := s.Record(ctx, observation("shop", text, t0), changeEvents("ops", "audit"))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.Event("evt_shop_1")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "policy.baseline" || ev.Target != "shop" || ev.Version != out.Version.ID || !ev.CreatedAt.Equal(t0) || len(ev.Deliveries) != 2 {
		t.Errorf("event %+v", ev)
	}
	var payload map[string]any
	if err := json.Unmarshal(ev.Payload, &payload); err != nil || payload["target"] != "shop" {
		t.Errorf("payload %s: %v", ev.Payload, err)
	}
	// Unchanged: the function returns nothing, nothing is queued.
	if _, err := s.Record(ctx, observation("shop", text, t0.Add(time.Hour)), changeEvents("ops")); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PendingCount(); n != 2 {
		t.Errorf("pending %d, want 2", n)
	}
}

func TestEventsErrorStoresNothing(t *testing.T) {
	boom := errors.New("payload cannot be built")
	tests := []struct {
		name   string
		events func(snapshot.Outcome) ([]snapshot.Event, error)
		is     error
	}{
		{"function error", func(snapshot.Outcome) ([]snapshot.Event, error) { return nil, boom }, boom},
		{"invalid payload", func(snapshot.Outcome) ([]snapshot.Event, error) {
			return []snapshot.Event{{ID: "evt_x", Type: "policy.baseline", Payload: []byte("{not json")}}, nil
		}, nil},
		{"no id", func(snapshot.Outcome) ([]snapshot.Event, error) {
			return []snapshot.Event{{Type: "policy.baseline"}}, nil
		}, nil},
		{"duplicate id", func(snapshot.Outcome) ([]snapshot.Event, error) {
			return []snapshot.Event{{ID: "evt_taken", Type: "policy.baseline"}}, nil
		}, nil},
		{"panic", func(snapshot.Outcome) ([]snapshot.Event, error) { panic("bug in the caller") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := snapshottest.Open(t)
			ctx := context.Background()
			// An earlier event owns evt_taken.
			if _, err := s.Record(ctx, observation("other", "다른 방침", t0), func(snapshot.Outcome) ([]snapshot.Event, error) {
				return []snapshot.Event{{ID: "evt_taken", Type: "policy.baseline"}}, nil
			}); err != nil {
				t.Fatal(err)
			}
			before := stats(t, s)
			_, err := s.Record(ctx, observation("shop", policyText("08", 3000), t0), tt.events)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Fatalf("err = %v, want an error (wrapping %v)", err, tt.is)
			}
			if _, err := s.Target("shop"); !errors.Is(err, snapshot.ErrNotFound) {
				t.Errorf("target stored despite the failed events: %v", err)
			}
			if after := stats(t, s); after.Versions != before.Versions || after.Blobs != before.Blobs || after.Events != before.Events {
				t.Errorf("stored despite the failed events: before %+v after %+v", before, after)
			}
		})
	}
}

// A failing call in a shared transaction is retried alone, and the others commit.
func TestGroupCommitIsolatesAFailingCall(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	errs := make(chan error, 20)
	for i := range 20 {
		go func() {
			events := changeEvents("ops")
			if i == 7 {
				events = func(snapshot.Outcome) ([]snapshot.Event, error) { return nil, errors.New("bad") }
			}
			_, err := s.Record(ctx, observation(fmt.Sprint("t", i), policyText(fmt.Sprint(i), 1000), t0), events)
			errs <- err
		}()
	}
	failed := 0
	for range 20 {
		if err := <-errs; err != nil {
			failed++
		}
	}
	st := stats(t, s)
	if failed != 1 || st.Targets != 19 || st.Events != 19 {
		t.Errorf("failed %d, targets %d, events %d; want 1, 19, 19", failed, st.Targets, st.Events)
	}
}

func TestDeliveryLifecycle(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	if _, err := s.Record(ctx, observation("shop", policyText("08", 2000), t0), changeEvents("ops", "audit", "ops")); err != nil {
		t.Fatal(err)
	}
	due := func(now time.Time) []string {
		t.Helper()
		ds, err := s.Due(now, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			if d.Event.ID != d.EventID || d.Event.Type == "" {
				t.Errorf("due delivery without its event: %+v", d)
			}
			out = append(out, d.Webhook)
		}
		return out
	}
	if got := due(t0.Add(-time.Second)); len(got) != 0 {
		t.Errorf("due before creation: %v", got)
	}
	if got := due(t0); !slices.Equal(got, []string{"audit", "ops"}) {
		t.Fatalf("due at creation: %v, want [audit ops] (duplicates merged)", got)
	}
	if ds, _ := s.Due(t0, 1); len(ds) != 1 {
		t.Errorf("limit 1: %d due", len(ds))
	}

	// ops fails with a 503 and is retried in a minute; audit is delivered.
	if err := s.MarkAttemptFailed("evt_shop_1", "ops", t0, 503, "service unavailable", t0.Add(time.Minute), false, false); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered("evt_shop_1", "audit", t0, 204); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered("evt_shop_1", "audit", t0, 204); err != nil {
		t.Errorf("marking delivered twice: %v", err)
	}
	if got := due(t0.Add(30 * time.Second)); len(got) != 0 {
		t.Errorf("due before the retry time: %v", got)
	}
	if got := due(t0.Add(time.Minute)); !slices.Equal(got, []string{"ops"}) {
		t.Errorf("due at the retry time: %v", got)
	}
	if err := s.MarkAttemptFailed("evt_shop_1", "audit", t0, 500, "late", t0, false, false); !errors.Is(err, snapshot.ErrDeliveryState) {
		t.Errorf("failed attempt on a delivered delivery: %v, want ErrDeliveryState", err)
	}

	// ops gives up after the maximum age.
	if err := s.MarkAttemptFailed("evt_shop_1", "ops", t0.Add(72*time.Hour), 0, "connection refused", time.Time{}, true, false); err != nil {
		t.Fatal(err)
	}
	if got := due(t0.Add(100 * time.Hour)); len(got) != 0 {
		t.Errorf("expired delivery still due: %v", got)
	}
	ev, err := s.Event("evt_shop_1")
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]snapshot.Delivery{}
	for _, d := range ev.Deliveries {
		states[d.Webhook] = d
	}
	if d := states["ops"]; d.State != snapshot.StateExpired || d.Attempts != 2 || d.LastError != "connection refused" {
		t.Errorf("ops after expiry: %+v", d)
	}
	if d := states["audit"]; d.State != snapshot.StateDelivered || d.Attempts != 1 || d.LastStatus != 204 || !d.DeliveredAt.Equal(t0) {
		t.Errorf("audit: %+v", d)
	}
	if got, _ := s.Events(snapshot.EventFilter{State: snapshot.StateExpired}); len(got) != 1 {
		t.Errorf("events with an expired delivery: %d, want 1", len(got))
	}

	// An operator re-queues it.
	requeueAt := t0.Add(100 * time.Hour)
	if err := s.Requeue("evt_shop_1", requeueAt); err != nil {
		t.Fatal(err)
	}
	if err := s.Requeue("evt_shop_1", requeueAt); !errors.Is(err, snapshot.ErrDeliveryState) {
		t.Errorf("second requeue: %v, want ErrDeliveryState", err)
	}
	if err := s.Requeue("evt_nope", requeueAt); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("requeue of an unknown event: %v", err)
	}
	ds, _ := s.Due(requeueAt, 0)
	if len(ds) != 1 || ds[0].Webhook != "ops" || ds[0].Attempts != 0 {
		t.Fatalf("due after requeue: %+v", ds)
	}
	// The receiver now refuses it for good.
	if err := s.MarkAttemptFailed("evt_shop_1", "ops", requeueAt, 410, "gone", time.Time{}, false, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PendingCount(); n != 0 {
		t.Errorf("pending %d after a permanent failure", n)
	}
	if st := stats(t, s); st.Deliveries[snapshot.StateFailed] != 1 || st.Deliveries[snapshot.StateDelivered] != 1 {
		t.Errorf("delivery states %v", st.Deliveries)
	}
	if err := s.MarkDelivered("evt_shop_1", "nope", t0, 200); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("unknown webhook: %v", err)
	}
}

func TestEventsFilterNewestFirst(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	for i, target := range []string{"a", "b", "a"} {
		o := observation(target, policyText(fmt.Sprint(10+i), 1000), t0.Add(time.Duration(i)*time.Hour))
		if _, err := s.Record(ctx, o, changeEvents("ops")); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(f snapshot.EventFilter) []string {
		evs, err := s.Events(f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range evs {
			out = append(out, e.ID)
		}
		return out
	}
	tests := []struct {
		filter snapshot.EventFilter
		want   []string
	}{
		{snapshot.EventFilter{}, []string{"evt_a_2", "evt_b_1", "evt_a_1"}},
		{snapshot.EventFilter{Target: "a"}, []string{"evt_a_2", "evt_a_1"}},
		{snapshot.EventFilter{Type: "policy.changed"}, []string{"evt_a_2"}},
		{snapshot.EventFilter{Limit: 1}, []string{"evt_a_2"}},
		{snapshot.EventFilter{State: snapshot.StateDelivered}, nil},
		{snapshot.EventFilter{State: snapshot.StatePending, Target: "b"}, []string{"evt_b_1"}},
	}
	for _, tt := range tests {
		if got := ids(tt.filter); !slices.Equal(got, tt.want) {
			t.Errorf("Events(%+v) = %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestFailuresBoundedAndFailingOnce(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	record(t, s, observation("shop", policyText("08", 1000), t0))
	const threshold = 3
	failing := func(st snapshot.TargetState) ([]snapshot.Event, error) {
		if st.Failing || st.ConsecutiveFailures < threshold {
			return nil, nil
		}
		return []snapshot.Event{{ID: fmt.Sprint("evt_failing_", st.ConsecutiveFailures), Type: snapshot.TypeTargetFailing, Webhooks: []string{"ops"}}}, nil
	}
	for i := 1; i <= 60; i++ {
		st, err := s.RecordFailure(ctx, "shop", snapshot.Failure{At: t0.Add(time.Duration(i) * time.Minute), Status: 503, Error: fmt.Sprint("attempt ", i)}, failing)
		if err != nil {
			t.Fatal(err)
		}
		if st.ConsecutiveFailures != i || st.Failing != (i >= threshold) || st.LastError != fmt.Sprint("attempt ", i) {
			t.Fatalf("failure %d: state %+v", i, st)
		}
	}
	fs, err := s.Failures("shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != snapshot.MaxFailures || fs[0].Error != "attempt 11" || fs[len(fs)-1].Error != "attempt 60" {
		t.Errorf("%d failures kept, first %q last %q; want the last %d", len(fs), fs[0].Error, fs[len(fs)-1].Error, snapshot.MaxFailures)
	}
	if evs, _ := s.Events(snapshot.EventFilter{Type: snapshot.TypeTargetFailing}); len(evs) != 1 {
		t.Errorf("%d target.failing events over 60 failures, want 1", len(evs))
	}

	out, err := s.Record(ctx, observation("shop", policyText("08", 1000), t0.Add(2*time.Hour)), changeEvents("ops"))
	if err != nil {
		t.Fatal(err)
	}
	if !out.Recovered || out.FailuresBefore != 60 || out.Kind != snapshot.Unchanged {
		t.Errorf("outcome after failures: %+v", out)
	}
	st, err := s.Target("shop")
	if err != nil {
		t.Fatal(err)
	}
	if st.Failing || st.ConsecutiveFailures != 0 || st.LastError != "" || !st.LastSuccess.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("state after recovery: %+v", st)
	}
	if evs, _ := s.Events(snapshot.EventFilter{Type: snapshot.TypeTargetRecovered}); len(evs) != 1 {
		t.Errorf("%d target.recovered events, want 1", len(evs))
	}
	if out := record(t, s, observation("shop", policyText("08", 1000), t0.Add(3*time.Hour))); out.Recovered {
		t.Error("recovered twice")
	}

	if _, err := s.RecordFailure(ctx, "fresh", snapshot.Failure{At: t0, Error: "dial tcp: connection refused", URL: "https://fresh.example/p"}, nil); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Target("fresh"); err != nil || st.URL != "https://fresh.example/p" || st.Current != 0 {
		t.Errorf("a target that never succeeded: %+v, %v", st, err)
	}
	if err := s.SetFailing(ctx, "fresh", true); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Target("fresh"); !st.Failing {
		t.Error("SetFailing(true) did not stick")
	}
	if err := s.SetFailing(ctx, "nope", true); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("SetFailing of an unknown target: %v", err)
	}
	if ts, err := s.Targets(); err != nil || len(ts) != 2 || ts[0].Name != "fresh" || ts[1].Name != "shop" {
		t.Errorf("Targets: %+v, %v", ts, err)
	}
}
