package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// sourceKinds builds each Source over a fresh fixture: the store directly,
// and a Client talking to a Server that reads the store (with a token, as
// off loopback).
var sourceKinds = []struct {
	name string
	open func(t *testing.T, f *fixture) web.Source
}{
	{"store", func(t *testing.T, f *fixture) web.Source { return f.source() }},
	{"client", func(t *testing.T, f *fixture) web.Source {
		_, ts := f.server(t, web.Options{Token: testToken})
		return web.NewClient(ts.URL+"/", testToken, ts.Client())
	}},
}

// TestSourceSuite runs the same expectations against both Sources.
func TestSourceSuite(t *testing.T) {
	for _, k := range sourceKinds {
		t.Run(k.name, func(t *testing.T) {
			f := newFixture(t)
			src := k.open(t, f)
			ctx := context.Background()

			t.Run("targets", func(t *testing.T) {
				ts, err := src.Targets(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var names, statuses []string
				for _, x := range ts {
					names = append(names, x.Name)
					statuses = append(statuses, x.Status())
				}
				if want := []string{"alpha", "beta", "gamma", "old"}; !slices.Equal(names, want) {
					t.Fatalf("names = %v, want %v (config order, then stored only)", names, want)
				}
				if want := []string{"ok", "never_checked", "disabled", "removed"}; !slices.Equal(statuses, want) {
					t.Errorf("statuses = %v, want %v", statuses, want)
				}
				a := ts[0]
				if !a.Configured || !a.Enabled || a.State == nil || a.Current == nil || a.Current.ID != 3 || a.State.Versions != 3 {
					t.Errorf("alpha = %+v, want configured, enabled, 3 versions, current 3", a)
				}
				if a.Current.Meta["effective"] != "2026-11-27" {
					t.Errorf("alpha current meta = %v", a.Current.Meta)
				}
				if ts[1].State != nil || ts[1].Current != nil {
					t.Errorf("beta was never checked, got state %+v current %+v", ts[1].State, ts[1].Current)
				}
				old := ts[3]
				if old.Configured || old.Enabled || old.State == nil || !old.State.Failing || old.State.ConsecutiveFailures != 3 || old.URL != "https://old.example.kr/privacy" {
					t.Errorf("old = %+v state %+v, want stored-only and failing", old, old.State)
				}
			})

			t.Run("versions", func(t *testing.T) {
				vs, err := src.Versions(ctx, "alpha")
				if err != nil {
					t.Fatal(err)
				}
				if len(vs) != 3 || vs[0].ID != 1 || vs[2].ID != 3 || vs[1].Meta["violations"] != "short_notice" {
					t.Fatalf("alpha versions = %+v", vs)
				}
				vs, err = src.Versions(ctx, "beta")
				if err != nil || vs == nil || len(vs) != 0 {
					t.Errorf("beta (configured, never checked) = %v, %v; want empty, nil", vs, err)
				}
				if _, err := src.Versions(ctx, "nope"); !errors.Is(err, snapshot.ErrNotFound) {
					t.Errorf("unknown target: err = %v, want ErrNotFound", err)
				}
			})

			t.Run("text", func(t *testing.T) {
				for id, want := range f.texts {
					got, err := src.Text(ctx, "alpha", id)
					if err != nil || got != want {
						t.Errorf("Text(alpha, %d) = %q, %v; want the recorded text", id, got, err)
					}
				}
				for _, c := range []struct {
					target string
					id     uint64
				}{{"alpha", 99}, {"nope", 1}, {"beta", 1}} {
					if _, err := src.Text(ctx, c.target, c.id); !errors.Is(err, snapshot.ErrNotFound) {
						t.Errorf("Text(%s, %d): err = %v, want ErrNotFound", c.target, c.id, err)
					}
				}
			})

			t.Run("raw", func(t *testing.T) {
				b, err := src.Raw(ctx, "alpha", 1)
				if err != nil || !bytes.Equal(b, page(f.texts[1])) {
					t.Errorf("Raw(alpha, 1) = %d bytes, %v; want the recorded page", len(b), err)
				}
				b, err = src.Raw(ctx, "alpha", 3)
				if err != nil || b != nil {
					t.Errorf("Raw(alpha, 3) = %q, %v; want nil, nil (no page kept)", b, err)
				}
				if _, err := src.Raw(ctx, "alpha", 42); !errors.Is(err, snapshot.ErrNotFound) {
					t.Errorf("Raw(alpha, 42): err = %v, want ErrNotFound", err)
				}
			})

			t.Run("events", func(t *testing.T) {
				cases := []struct {
					f    snapshot.EventFilter
					want []string
				}{
					{snapshot.EventFilter{}, []string{"evt_alpha_3", "evt_alpha_2", "evt_old_failing", "evt_alpha_1"}},
					{snapshot.EventFilter{Limit: 1}, []string{"evt_alpha_3"}},
					{snapshot.EventFilter{Target: "alpha", State: snapshot.StateFailed}, []string{"evt_alpha_2"}},
					{snapshot.EventFilter{Type: snapshot.TypeTargetFailing}, []string{"evt_old_failing"}},
					{snapshot.EventFilter{Target: "beta"}, []string{}},
				}
				for _, c := range cases {
					evs, err := src.Events(ctx, c.f)
					if err != nil {
						t.Fatalf("%+v: %v", c.f, err)
					}
					ids := []string{}
					for _, e := range evs {
						ids = append(ids, e.ID)
					}
					if !slices.Equal(ids, c.want) {
						t.Errorf("Events(%+v) = %v, want %v", c.f, ids, c.want)
					}
				}
				evs, _ := src.Events(ctx, snapshot.EventFilter{Target: "alpha", Limit: 1})
				if len(evs) != 1 || len(evs[0].Deliveries) != 2 || string(evs[0].Payload) != `{"summary":"개인정보 처리방침이 바뀌었습니다"}` {
					t.Errorf("latest alpha event = %+v", evs)
				}
			})

			t.Run("requeue", func(t *testing.T) {
				if err := src.Requeue(ctx, "evt_alpha_2"); err != nil {
					t.Fatalf("Requeue: %v", err)
				}
				ev, err := f.store.Event("evt_alpha_2")
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range ev.Deliveries {
					if d.State != snapshot.StatePending {
						t.Errorf("delivery to %s is %s after requeue, want pending", d.Webhook, d.State)
					}
				}
				if err := src.Requeue(ctx, "evt_alpha_2"); !errors.Is(err, snapshot.ErrDeliveryState) {
					t.Errorf("second Requeue: err = %v, want ErrDeliveryState", err)
				}
				if err := src.Requeue(ctx, "evt_nope"); !errors.Is(err, snapshot.ErrNotFound) {
					t.Errorf("Requeue of unknown event: err = %v, want ErrNotFound", err)
				}
			})
		})
	}
}

// TestClientEqualsStore checks that the client returns exactly what the
// store source returns, value for value.
func TestClientEqualsStore(t *testing.T) {
	f := newFixture(t)
	store := f.source()
	_, ts := f.server(t, web.Options{})
	client := web.NewClient(ts.URL, "", nil)
	ctx := context.Background()

	same := func(what string, a, b any, errA, errB error) {
		t.Helper()
		if errA != nil || errB != nil {
			t.Fatalf("%s: store err %v, client err %v", what, errA, errB)
		}
		// Value for value as the wire carries them: a time decoded from
		// "+09:00" is the same instant in the same offset, but its Location
		// is a fixed zone rather than Asia/Seoul, so compare encodings.
		ja, errA := json.Marshal(a)
		jb, errB := json.Marshal(b)
		if errA != nil || errB != nil || !bytes.Equal(ja, jb) {
			t.Errorf("%s differs:\nstore  %s\nclient %s", what, ja, jb)
		}
	}
	a1, e1 := store.Targets(ctx)
	b1, e2 := client.Targets(ctx)
	same("Targets", a1, b1, e1, e2)
	for _, name := range []string{"alpha", "beta", "old"} {
		a, e1 := store.Versions(ctx, name)
		b, e2 := client.Versions(ctx, name)
		same("Versions "+name, a, b, e1, e2)
	}
	for id := range uint64(3) {
		a, e1 := store.Text(ctx, "alpha", id+1)
		b, e2 := client.Text(ctx, "alpha", id+1)
		same("Text", a, b, e1, e2)
		ra, e1 := store.Raw(ctx, "alpha", id+1)
		rb, e2 := client.Raw(ctx, "alpha", id+1)
		same("Raw", ra, rb, e1, e2)
	}
	for _, flt := range []snapshot.EventFilter{{}, {Target: "alpha"}, {State: snapshot.StateDelivered}, {Type: "policy.changed", Limit: 1}} {
		a, e1 := store.Events(ctx, flt)
		b, e2 := client.Events(ctx, flt)
		same("Events", a, b, e1, e2)
	}
}

func TestClientErrors(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{Token: testToken})
	ctx := context.Background()

	if _, err := web.NewClient(ts.URL, "wrong-token-wrong-token", nil).Targets(ctx); !errors.Is(err, web.ErrUnauthorized) {
		t.Errorf("wrong token: err = %v, want ErrUnauthorized", err)
	}
	if _, err := web.NewClient(ts.URL, "", nil).Versions(ctx, "alpha"); !errors.Is(err, web.ErrUnauthorized) {
		t.Errorf("no token: err = %v, want ErrUnauthorized", err)
	}
	if err := web.NewClient(ts.URL, "", nil).Requeue(ctx, "evt_alpha_2"); !errors.Is(err, web.ErrUnauthorized) {
		t.Errorf("POST without token: err = %v, want ErrUnauthorized", err)
	}

	// A daemon that is gone: the error says so.
	gone := httptestClosedURL(t)
	_, err := web.NewClient(gone, "", nil).Targets(ctx)
	if !errors.Is(err, web.ErrUnavailable) {
		t.Errorf("closed server: err = %v, want ErrUnavailable", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := web.NewClient(ts.URL, testToken, nil).Targets(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}

// TestTargetsSeeEveryWrite: the store source keeps its decoded list between
// calls only while nothing is written.
func TestTargetsSeeEveryWrite(t *testing.T) {
	f := newFixture(t)
	src := f.source()
	ctx := context.Background()
	current := func() uint64 {
		t.Helper()
		ts, err := src.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range ts {
			if ti.Name == "alpha" {
				return ti.Current.ID
			}
		}
		t.Fatal("alpha missing")
		return 0
	}
	before := current()
	if again := current(); again != before {
		t.Fatalf("two reads without a write differ: %d, %d", before, again)
	}
	text := policyText("2026-12-01", "2026-12-08", "7년")
	if _, err := f.store.Record(ctx, snapshot.Observation{Target: "alpha", URL: "https://alpha.example.kr/privacy", At: t0.AddDate(0, 1, 0), Status: 200, Text: text, Rules: "r1"}, nil); err != nil {
		t.Fatal(err)
	}
	if after := current(); after != before+1 {
		t.Errorf("after a new version: current %d, want %d", after, before+1)
	}
}
