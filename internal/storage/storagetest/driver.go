package storagetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// Driver is a storage driver under test, for RunDriver: besides fresh
// stores it can open the same data again, which the tests of durability
// and of schema versions need.
type Driver struct {
	// New makes a new, empty place for a store (a file, a database) and
	// returns it; the driver's test arranges its removal.
	New func(t testing.TB) Place
}

// Place is where one store's data lives.
type Place struct {
	// Open opens the data (again) with o; ReadOnly must not create it. The
	// caller closes the store.
	Open func(o storage.Options) (storage.Store, error)
	// MakeNewer marks the data, with every store of it closed, as written
	// by a monitord newer than this one (a schema version it does not
	// know). Nil skips the test that needs it.
	MakeNewer func(t testing.TB)
}

// RunDriver runs Run on stores from d, then the tests that open one
// place's data more than once.
func RunDriver(t *testing.T, d Driver) {
	Run(t, func(t testing.TB) storage.Store {
		t.Helper()
		s, err := d.New(t).Open(storage.Options{})
		if err != nil {
			t.Fatalf("open a new store: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
	for _, tt := range placeTests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, d.New(t)) })
	}
}

var placeTests = []struct {
	name string
	run  func(t *testing.T, p Place)
}{
	{"place/reopen keeps everything", testReopen},
	{"place/read-only needs an existing store", testReadOnlyNeedsAStore},
	{"place/a newer schema is refused", testNewerSchema},
}

func mustOpen(t *testing.T, p Place, o storage.Options) storage.Store {
	t.Helper()
	s, err := p.Open(o)
	if err != nil {
		t.Fatalf("open (read-only %v): %v", o.ReadOnly, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// durable is what Stats says that must survive a reopen: not the file's
// size nor the counters since Open.
func durable(t *testing.T, s storage.Reader) string {
	st := Stats(t, s)
	st.FileSize, st.DataSize, st.Writes, st.Commits = 0, 0, 0, 0
	st.Deliveries = nonZero(st.Deliveries)
	return fmt.Sprintf("%+v", st)
}

func testReopen(t *testing.T, p Place) {
	s := mustOpen(t, p, storage.Options{})
	history(t, s)
	want := durable(t, s)
	heads, err := s.ChainHeads()
	if err != nil {
		t.Fatal(err)
	}
	wantVersions := Versions(t, s, "shop")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, readOnly := range []bool{false, true} {
		s := mustOpen(t, p, storage.Options{ReadOnly: readOnly})
		if got := durable(t, s); got != want {
			t.Errorf("read-only %v: stats after reopen %s, want %s", readOnly, got, want)
		}
		got, err := s.ChainHeads()
		if err != nil || fmt.Sprint(got) != fmt.Sprint(heads) {
			t.Errorf("read-only %v: heads after reopen %v, %v; want %v", readOnly, got, err, heads)
		}
		vs := Versions(t, s, "shop")
		if len(vs) != len(wantVersions) {
			t.Fatalf("read-only %v: %d versions after reopen, want %d", readOnly, len(vs), len(wantVersions))
		}
		for i, v := range vs {
			w := wantVersions[i]
			if v.ID != w.ID || v.TextHash != w.TextHash || v.Seen != w.Seen || !v.LastSeen.Equal(w.LastSeen) || v.Chain != w.Chain {
				t.Errorf("read-only %v: version %d after reopen %+v, want %+v", readOnly, w.ID, v, w)
			}
			if text, err := s.Text(v); err != nil || text == "" {
				t.Errorf("read-only %v: text of version %d: %v", readOnly, v.ID, err)
			}
		}
		if rep, err := s.Verify(bg, nil); err != nil || !rep.OK() {
			t.Errorf("read-only %v: verify after reopen: %+v, %v", readOnly, rep, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Writing goes on where it stopped.
	s = mustOpen(t, p, storage.Options{})
	out := RecordWith(t, s, Observation("shop", PolicyText("29", 3000), at(48*time.Hour)), ChangeEvents("ops"))
	if out.Version.ID != 4 || out.Kind != snapshot.New {
		t.Errorf("the record after reopen: version %d kind %v, want new version 4", out.Version.ID, out.Kind)
	}
	if _, err := s.Event("evt_shop_4"); err != nil {
		t.Errorf("its event: %v", err)
	}
}

func testReadOnlyNeedsAStore(t *testing.T, p Place) {
	_, err := p.Open(storage.Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "monitord run") {
		t.Errorf("read-only open of an empty place: %v, want an error telling to run monitord once", err)
	}
	// Nothing was created: a writable open then makes the store.
	s := mustOpen(t, p, storage.Options{})
	if st := Stats(t, s); st.Targets != 0 {
		t.Errorf("a new store holds %d targets", st.Targets)
	}
}

func testNewerSchema(t *testing.T, p Place) {
	if p.MakeNewer == nil {
		t.Skip("the driver cannot make its data newer")
	}
	s := mustOpen(t, p, storage.Options{})
	Record(t, s, Observation("shop", "본문", T0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	p.MakeNewer(t)
	for _, readOnly := range []bool{false, true} {
		s, err := p.Open(storage.Options{ReadOnly: readOnly})
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, storage.ErrSchema) || !strings.Contains(err.Error(), "upgrade monitord") {
			t.Errorf("read-only %v: open of a newer schema: %v, want ErrSchema telling to upgrade monitord", readOnly, err)
		}
	}
}
