package storagetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

var outboxTests = []test{
	{"outbox/events are written with the version", testEventsWithVersion},
	{"outbox/a failed events call stores nothing", testEventsError},
	{"outbox/delivery lifecycle", testDeliveryLifecycle},
	{"outbox/due in order, limited", testDueOrder},
	{"outbox/events filter, newest first", testEventsFilter},
	{"outbox/counts follow deliveries", testEventCounts},
}

func testEventsWithVersion(t *testing.T, s storage.Store) {
	text := PolicyText("08", 3000)
	out := RecordWith(t, s, Observation("shop", text, T0), ChangeEvents("ops", "audit"))
	ev, err := s.Event("evt_shop_1")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "policy.baseline" || ev.Target != "shop" || ev.Version != out.Version.ID || !ev.CreatedAt.Equal(T0) ||
		!slices.Equal(ev.Webhooks, []string{"audit", "ops"}) || len(ev.Deliveries) != 2 {
		t.Errorf("event %+v", ev)
	}
	for _, d := range ev.Deliveries {
		if d.EventID != ev.ID || d.State != snapshot.StatePending || d.Attempts != 0 || !d.NextAttempt.Equal(T0) || !d.CreatedAt.Equal(T0) {
			t.Errorf("new delivery %+v: want pending, due at the event's creation", d)
		}
	}
	var payload map[string]any
	if err := json.Unmarshal(ev.Payload, &payload); err != nil || payload["target"] != "shop" || payload["version"] != 1.0 {
		t.Errorf("payload %s: %v", ev.Payload, err)
	}
	// Unchanged: the function returns nothing, nothing is queued.
	RecordWith(t, s, Observation("shop", text, at(time.Hour)), ChangeEvents("ops"))
	if n, err := s.PendingCount(); n != 2 || err != nil {
		t.Errorf("pending %d, %v; want 2", n, err)
	}
	// An event with its own target and time keeps them.
	own := snapshot.Event{ID: "evt_own", Type: "policy.changed", Target: "elsewhere", CreatedAt: at(-time.Hour)}
	RecordWith(t, s, Observation("shop", PolicyText("09", 3000), at(2*time.Hour)), func(snapshot.Outcome) ([]snapshot.Event, error) {
		return []snapshot.Event{own}, nil
	})
	if ev, err := s.Event("evt_own"); err != nil || ev.Target != "elsewhere" || !ev.CreatedAt.Equal(at(-time.Hour)) || len(ev.Deliveries) != 0 || len(ev.Payload) != 0 {
		t.Errorf("event with its own target and time: %+v, %v", ev, err)
	}
}

func testEventsError(t *testing.T, s storage.Store) {
	boom := errors.New("payload cannot be built")
	cases := []struct {
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
		{"empty webhook name", func(snapshot.Outcome) ([]snapshot.Event, error) {
			return []snapshot.Event{{ID: "evt_y", Type: "policy.baseline", Webhooks: []string{""}}}, nil
		}, nil},
		{"panic", func(snapshot.Outcome) ([]snapshot.Event, error) { panic("bug in the caller") }, nil},
	}
	// An earlier event owns evt_taken.
	RecordWith(t, s, Observation("other", "다른 방침", T0), func(snapshot.Outcome) ([]snapshot.Event, error) {
		return []snapshot.Event{{ID: "evt_taken", Type: "policy.baseline"}}, nil
	})
	before := Stats(t, s)
	for _, tc := range cases {
		_, err := s.Record(bg, Observation("shop", PolicyText("08", 3000), T0), tc.events)
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Fatalf("%s: err = %v, want an error (wrapping %v)", tc.name, err, tc.is)
		}
		if _, err := s.Target("shop"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s: target stored despite the failed events: %v", tc.name, err)
		}
		if after := Stats(t, s); after.Versions != before.Versions || after.Blobs != before.Blobs || after.Events != before.Events {
			t.Errorf("%s: stored despite the failed events: before %+v after %+v", tc.name, before, after)
		}
	}
	// The same holds for failures.
	_, err := s.RecordFailure(bg, "other", snapshot.Failure{At: at(time.Hour), Error: "x"}, func(snapshot.TargetState) ([]snapshot.Event, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Errorf("RecordFailure with a failing events call: %v", err)
	}
	if st, _ := s.Target("other"); st.ConsecutiveFailures != 0 {
		t.Errorf("a failed RecordFailure counted: %+v", st)
	}
	if fs, _ := s.Failures("other"); len(fs) != 0 {
		t.Errorf("a failed RecordFailure kept %d failures", len(fs))
	}
}

func dueHooks(t *testing.T, s storage.Store, now time.Time, limit int) []string {
	t.Helper()
	ds, err := s.Due(now, limit)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		if d.Event.ID != d.EventID || d.Event.Type == "" {
			t.Errorf("due delivery without its event: %+v", d)
		}
		out = append(out, d.EventID+"→"+d.Webhook)
	}
	return out
}

func testDeliveryLifecycle(t *testing.T, s storage.Store) {
	RecordWith(t, s, Observation("shop", PolicyText("08", 2000), T0), ChangeEvents("ops", "audit", "ops"))
	const id = "evt_shop_1"
	if got := dueHooks(t, s, at(-time.Second), 0); len(got) != 0 {
		t.Errorf("due before creation: %v", got)
	}
	if got := dueHooks(t, s, T0, 0); !slices.Equal(got, []string{id + "→audit", id + "→ops"}) {
		t.Fatalf("due at creation: %v, want audit and ops (duplicates merged)", got)
	}

	// ops fails with a 503 and is retried in a minute; audit is delivered.
	if err := s.MarkAttemptFailed(id, "ops", T0, 503, "service unavailable", at(time.Minute), false, false); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered(id, "audit", T0, 204); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered(id, "audit", at(time.Second), 200); err != nil {
		t.Errorf("marking delivered twice: %v", err)
	}
	if got := dueHooks(t, s, at(30*time.Second), 0); len(got) != 0 {
		t.Errorf("due before the retry time: %v", got)
	}
	if got := dueHooks(t, s, at(time.Minute), 0); !slices.Equal(got, []string{id + "→ops"}) {
		t.Errorf("due at the retry time: %v", got)
	}
	if n, _ := s.PendingCount(); n != 1 {
		t.Errorf("pending %d, want 1", n)
	}
	if err := s.MarkAttemptFailed(id, "audit", T0, 500, "late", T0, false, false); !errors.Is(err, storage.ErrDeliveryState) {
		t.Errorf("failed attempt on a delivered delivery: %v, want ErrDeliveryState", err)
	}

	// ops gives up after the maximum age.
	if err := s.MarkAttemptFailed(id, "ops", at(72*time.Hour), 0, "connection refused", time.Time{}, true, false); err != nil {
		t.Fatal(err)
	}
	if got := dueHooks(t, s, at(100*time.Hour), 0); len(got) != 0 {
		t.Errorf("expired delivery still due: %v", got)
	}
	if err := s.MarkAttemptFailed(id, "ops", at(73*time.Hour), 0, "again", at(74*time.Hour), false, false); !errors.Is(err, storage.ErrDeliveryState) {
		t.Errorf("failed attempt on an expired delivery: %v, want ErrDeliveryState", err)
	}
	states := deliveries(t, s, id)
	if d := states["ops"]; d.State != snapshot.StateExpired || d.Attempts != 2 || d.LastError != "connection refused" || !d.LastAttempt.Equal(at(72*time.Hour)) {
		t.Errorf("ops after expiry: %+v", d)
	}
	if d := states["audit"]; d.State != snapshot.StateDelivered || d.Attempts != 1 || d.LastStatus != 204 || !d.DeliveredAt.Equal(T0) || d.LastError != "" {
		t.Errorf("audit: %+v (a second MarkDelivered changes nothing)", d)
	}
	if got, _ := s.Events(snapshot.EventFilter{State: snapshot.StateExpired}); len(got) != 1 {
		t.Errorf("events with an expired delivery: %d, want 1", len(got))
	}

	// An operator re-queues it.
	requeueAt := at(100 * time.Hour)
	if err := s.Requeue(id, requeueAt); err != nil {
		t.Fatal(err)
	}
	if err := s.Requeue(id, requeueAt); !errors.Is(err, storage.ErrDeliveryState) {
		t.Errorf("second requeue: %v, want ErrDeliveryState", err)
	}
	if err := s.Requeue("evt_nope", requeueAt); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("requeue of an unknown event: %v", err)
	}
	ds, _ := s.Due(requeueAt, 0)
	if len(ds) != 1 || ds[0].Webhook != "ops" || ds[0].Attempts != 0 || !ds[0].NextAttempt.Equal(requeueAt) || !ds[0].Requeued.Equal(requeueAt) {
		t.Fatalf("due after requeue: %+v", ds)
	}
	// The receiver now refuses it for good.
	if err := s.MarkAttemptFailed(id, "ops", requeueAt, 410, "gone", time.Time{}, false, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PendingCount(); n != 0 {
		t.Errorf("pending %d after a permanent failure", n)
	}
	if d := deliveries(t, s, id)["ops"]; d.State != snapshot.StateFailed || d.Attempts != 1 || d.LastStatus != 410 {
		t.Errorf("ops after a permanent failure: %+v", d)
	}
	if st := Stats(t, s); st.Deliveries[snapshot.StateFailed] != 1 || st.Deliveries[snapshot.StateDelivered] != 1 || st.Events != 1 {
		t.Errorf("delivery states %v, events %d", st.Deliveries, st.Events)
	}
	// A failed delivery can be re-queued too.
	if err := s.Requeue(id, at(101*time.Hour)); err != nil {
		t.Errorf("requeue of a failed delivery: %v", err)
	}
	if err := s.MarkDelivered(id, "nope", T0, 200); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("unknown webhook: %v", err)
	}
	if err := s.MarkAttemptFailed("evt_nope", "ops", T0, 500, "x", T0, false, false); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("unknown event: %v", err)
	}
}

func deliveries(t *testing.T, s storage.Reader, id string) map[string]snapshot.Delivery {
	t.Helper()
	ev, err := s.Event(id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]snapshot.Delivery{}
	for _, d := range ev.Deliveries {
		out[d.Webhook] = d
	}
	return out
}

// Due lists the deliveries oldest next attempt first (then by event id and
// webhook), across events and retries, and stops at the limit.
func testDueOrder(t *testing.T, s storage.Store) {
	for i, target := range []string{"c", "a", "b"} {
		RecordWith(t, s, Observation(target, PolicyText(fmt.Sprint(10+i), 1000), at(time.Duration(i)*time.Minute)), ChangeEvents("w1", "w2"))
	}
	// c's first delivery is retried after the others.
	if err := s.MarkAttemptFailed("evt_c_1", "w1", at(3*time.Minute), 500, "down", at(10*time.Minute), false, false); err != nil {
		t.Fatal(err)
	}
	want := []string{"evt_c_1→w2", "evt_a_1→w1", "evt_a_1→w2", "evt_b_1→w1", "evt_b_1→w2", "evt_c_1→w1"}
	if got := dueHooks(t, s, at(time.Hour), 0); !slices.Equal(got, want) {
		t.Errorf("due = %v, want %v", got, want)
	}
	if got := dueHooks(t, s, at(time.Hour), 2); !slices.Equal(got, want[:2]) {
		t.Errorf("due with limit 2 = %v, want %v", got, want[:2])
	}
	if got := dueHooks(t, s, at(time.Minute), 0); !slices.Equal(got, want[:3]) {
		t.Errorf("due at T0+1m = %v, want %v", got, want[:3])
	}
	if n, _ := s.PendingCount(); n != 6 {
		t.Errorf("pending %d, want 6", n)
	}
}

func testEventsFilter(t *testing.T, s storage.Store) {
	for i, target := range []string{"a", "b", "a"} {
		RecordWith(t, s, Observation(target, PolicyText(fmt.Sprint(10+i), 1000), at(time.Duration(i)*time.Hour)), ChangeEvents("ops"))
	}
	ids := func(f snapshot.EventFilter) []string {
		evs, err := s.Events(f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range evs {
			if len(e.Deliveries) != 1 {
				t.Errorf("event %s with %d deliveries, want 1", e.ID, len(e.Deliveries))
			}
			out = append(out, e.ID)
		}
		return out
	}
	if err := s.MarkDelivered("evt_b_1", "ops", at(time.Hour), 200); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		filter snapshot.EventFilter
		want   []string
	}{
		{snapshot.EventFilter{}, []string{"evt_a_2", "evt_b_1", "evt_a_1"}},
		{snapshot.EventFilter{Target: "a"}, []string{"evt_a_2", "evt_a_1"}},
		{snapshot.EventFilter{Type: "policy.changed"}, []string{"evt_a_2"}},
		{snapshot.EventFilter{Type: "policy.baseline", Target: "a"}, []string{"evt_a_1"}},
		{snapshot.EventFilter{Limit: 1}, []string{"evt_a_2"}},
		{snapshot.EventFilter{Limit: 2, Target: "a"}, []string{"evt_a_2", "evt_a_1"}},
		{snapshot.EventFilter{State: snapshot.StateDelivered}, []string{"evt_b_1"}},
		{snapshot.EventFilter{State: snapshot.StatePending}, []string{"evt_a_2", "evt_a_1"}},
		{snapshot.EventFilter{State: snapshot.StatePending, Target: "b"}, nil},
		{snapshot.EventFilter{State: snapshot.StateExpired}, nil},
		{snapshot.EventFilter{Target: "nobody"}, nil},
	}
	for _, tc := range cases {
		if got := ids(tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("Events(%+v) = %v, want %v", tc.filter, got, tc.want)
		}
	}
}

// testEventCounts: the counters move with every delivery state change, in
// the same transactions; an event routed to no webhook counts once as none.
func testEventCounts(t *testing.T, s storage.Store) {
	want := func(w map[snapshot.EventKey]int) {
		t.Helper()
		if got := EventCounts(t, s); !maps.Equal(got, w) {
			t.Fatalf("event counts = %v, want %v", got, w)
		}
	}
	want(map[snapshot.EventKey]int{})
	RecordWith(t, s, Observation("shop", PolicyText("01", 3000), T0), ChangeEvents("ops", "audit"))
	RecordWith(t, s, Observation("mall", PolicyText("02", 3000), T0), ChangeEvents())
	const base = "policy.baseline"
	want(map[snapshot.EventKey]int{key(base, snapshot.StatePending): 2, key(base, snapshot.StateNone): 1})

	if err := s.MarkDelivered("evt_shop_1", "ops", at(time.Minute), 200); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAttemptFailed("evt_shop_1", "audit", at(time.Minute), 404, "gone", T0, false, true); err != nil {
		t.Fatal(err)
	}
	want(map[snapshot.EventKey]int{key(base, snapshot.StateDelivered): 1, key(base, snapshot.StateFailed): 1, key(base, snapshot.StateNone): 1})

	// A retry that stays pending changes no count.
	if err := s.Requeue("evt_shop_1", at(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAttemptFailed("evt_shop_1", "audit", at(time.Hour), 500, "down", at(2*time.Hour), false, false); err != nil {
		t.Fatal(err)
	}
	want(map[snapshot.EventKey]int{key(base, snapshot.StateDelivered): 1, key(base, snapshot.StatePending): 1, key(base, snapshot.StateNone): 1})
	if err := s.MarkAttemptFailed("evt_shop_1", "audit", at(3*time.Hour), 500, "down", at(4*time.Hour), true, false); err != nil {
		t.Fatal(err)
	}
	want(map[snapshot.EventKey]int{key(base, snapshot.StateDelivered): 1, key(base, snapshot.StateExpired): 1, key(base, snapshot.StateNone): 1})
	if n, _ := s.PendingCount(); n != 0 {
		t.Errorf("pending %d, want 0", n)
	}
	st := Stats(t, s)
	if st.Events != 2 || st.Deliveries[snapshot.StateDelivered] != 1 || st.Deliveries[snapshot.StateExpired] != 1 || st.Deliveries[snapshot.StatePending] != 0 {
		t.Errorf("Stats events %d deliveries %v", st.Events, st.Deliveries)
	}
}

func key(typ, state string) snapshot.EventKey { return snapshot.EventKey{Type: typ, State: state} }
