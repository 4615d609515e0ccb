package metrics

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// benchStore holds 100 targets with 20 versions each, every version with an
// event carrying a 2 KB payload for two webhooks: 2000 events, a few years
// of a large installation.
func benchStore(b *testing.B) (*snapshot.Store, []string) {
	b.Helper()
	st := snapshottest.Open(b)
	payload, _ := json.Marshal(map[string]string{"summary": strings.Repeat("개인정보 처리방침 변경 ", 70)})
	var names []string
	ctx := context.Background()
	for ti := range 100 {
		name := fmt.Sprintf("t%03d", ti)
		names = append(names, name)
		for vi := range 20 {
			obs := snapshot.Observation{Target: name, At: t0.Add(time.Duration(vi) * time.Hour), Status: 200,
				Text: text(fmt.Sprintf("2026-%02d-%02d", vi%12+1, ti%28+1)), Rules: "r"}
			_, err := st.Record(ctx, obs, func(o snapshot.Outcome) ([]snapshot.Event, error) {
				return []snapshot.Event{{ID: fmt.Sprintf("evt_%s_%d", name, vi), Type: "policy.changed", Payload: payload, Webhooks: []string{"ops", "chat"}}}, nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	return st, names
}

// BenchmarkScrape is one scrape of a store with 100 targets and 2,000
// events: the event counts come from the store's counters.
func BenchmarkScrape(b *testing.B) {
	st, names := benchStore(b)
	reg := prometheus.NewRegistry()
	New(reg).WatchStore(reg, st, func() []string { return names })
	b.ResetTimer()
	for b.Loop() {
		if _, err := reg.Gather(); err != nil {
			b.Fatal(err)
		}
	}
}
