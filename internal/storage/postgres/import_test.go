package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// importSource builds a bbolt store with versions, a return, a failure and
// events with deliveries.
func importSource(t *testing.T) *snapshot.Store {
	t.Helper()
	src, err := snapshot.Open(filepath.Join(t.TempDir(), "src.db"), snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	events := func(o snapshot.Outcome) ([]snapshot.Event, error) {
		n++
		id := fmt.Sprintf("evt_%d", n)
		return []snapshot.Event{{ID: id, Type: "policy.changed", Target: o.Version.Target, Version: o.Version.ID,
			CreatedAt: at, Payload: []byte(`{"id":"` + id + `"}`), Webhooks: []string{"hook"}}}, nil
	}
	for _, target := range []string{"alpha", "beta"} {
		for i, text := range []string{"제1조 처음 " + target, "제1조 바뀜 " + target, "제1조 처음 " + target} {
			obs := snapshot.Observation{Target: target, URL: "https://example.kr/" + target, At: at.Add(time.Duration(i) * time.Hour),
				Status: 200, Raw: []byte("<p>" + text + "</p>"), Text: text, MediaType: "text/html", Charset: "utf-8"}
			if _, err := src.Record(ctx, obs, events); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := src.RecordFailure(ctx, "beta", snapshot.Failure{At: at.Add(5 * time.Hour), Status: 503, Error: "503 Service Unavailable"},
		func(snapshot.TargetState) ([]snapshot.Event, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if err := src.MarkDelivered("evt_1", "hook", at.Add(time.Minute), 200); err != nil {
		t.Fatal(err)
	}
	return src
}

func TestImportCopiesVerbatimAndResumes(t *testing.T) {
	src := importSource(t)
	dst, err := Open(context.Background(), pgtest.Start(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	ctx := context.Background()
	var progressed bool
	got, err := dst.Import(ctx, "src.db", src.Dump, func(map[string]int64) { progressed = true })
	if err != nil {
		t.Fatal(err)
	}
	if !progressed {
		t.Error("no progress reported")
	}
	st, err := src.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if got[snapshot.DumpTarget] != 2 || got[snapshot.DumpVersion] != int64(st.Versions) || got[snapshot.DumpBlob] != int64(st.Blobs) ||
		got[snapshot.DumpEvent] != int64(st.Events) || got[snapshot.DumpFailure] != 1 {
		t.Fatalf("copied %v; source stats %+v", got, st)
	}
	// Every chain record is the same bytes, so its hash and the head are
	// the source's.
	heads, err := src.ChainHeads()
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range heads {
		var data []byte
		if err := dst.pool.QueryRow(ctx, `SELECT data FROM chain WHERE target = $1 ORDER BY seq DESC LIMIT 1`, name).Scan(&data); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != h.Head {
			t.Errorf("%s: copied head %x, source head %s", name, sum, h.Head)
		}
		_, hashes, err := src.Chain(name)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		dst.pool.QueryRow(ctx, `SELECT count(*) FROM chain WHERE target = $1`, name).Scan(&n)
		if n != len(hashes) {
			t.Errorf("%s: %d chain records copied, source has %d", name, n, len(hashes))
		}
	}
	// Documents are the source's JSON as it is, byte for byte.
	var doc string
	if err := dst.pool.QueryRow(ctx, `SELECT doc::text FROM deliveries WHERE event_id = 'evt_1'`).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	evs, err := src.Event("evt_1")
	if err != nil || len(evs.Deliveries) != 1 || evs.Deliveries[0].State != snapshot.StateDelivered {
		t.Fatalf("source evt_1: %+v, %v", evs, err)
	}
	var state string
	dst.pool.QueryRow(ctx, `SELECT state FROM deliveries WHERE event_id = 'evt_1'`).Scan(&state)
	if state != snapshot.StateDelivered {
		t.Errorf("copied delivery state %q, want delivered (doc %s)", state, doc)
	}

	// Running it again changes nothing (resumes an interrupted copy).
	again, err := dst.Import(ctx, "src.db", src.Dump, nil)
	if err != nil {
		t.Fatalf("second import of the same source: %v", err)
	}
	var blobs int64
	dst.pool.QueryRow(ctx, `SELECT count(*) FROM blobs`).Scan(&blobs)
	if blobs != got[snapshot.DumpBlob] || again[snapshot.DumpBlob] != got[snapshot.DumpBlob] {
		t.Errorf("after a second import: %d blobs, want %d", blobs, got[snapshot.DumpBlob])
	}
	// Another store is refused.
	if _, err := dst.Import(ctx, "other.db", src.Dump, nil); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("import of another store: %v, want ErrNotEmpty", err)
	}
}

func TestImportRefusesADatabaseInUse(t *testing.T) {
	src := importSource(t)
	dst, err := Open(context.Background(), pgtest.Start(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	ctx := context.Background()
	if _, err := dst.pool.Exec(ctx, `INSERT INTO events (id, type, target, created_ns, doc) VALUES ('evt_x', 't', 'x', 0, '{}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(ctx, "src.db", src.Dump, nil); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("import into a used database: %v, want ErrNotEmpty", err)
	}
}
