package web_test

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// The chain heads and a backup come back the same through the API as from
// the store, and both need the token when one is set.
func TestBackupAndChainThroughAPI(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{Token: testToken})
	if code, _, _ := get(t, http.MethodGet, ts.URL+"/api/backup", ""); code != http.StatusUnauthorized {
		t.Fatalf("backup without the token: %d, want 401", code)
	}
	if code, _, _ := get(t, http.MethodGet, ts.URL+"/api/chain", "wrong-token-wrong-token-wrong-tok"); code != http.StatusUnauthorized {
		t.Fatalf("chain with a wrong token: %d, want 401", code)
	}
	want, err := web.StoreHeads(f.store)
	if err != nil {
		t.Fatal(err)
	}
	c := web.NewClient(ts.URL, testToken, nil).(web.Evidence)
	got, err := c.ChainHeads(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The API answers in the configured zone: the same instants.
	sameHead := func(a, b web.TargetHead) bool {
		return a.At.Equal(b.At) && a.Target == b.Target && a.Records == b.Records && a.Head == b.Head && a.TrustedFrom == b.TrustedFrom
	}
	if len(got) != 2 || len(want) != 2 || !sameHead(got[0], want[0]) || !sameHead(got[1], want[1]) {
		t.Fatalf("heads through the API = %+v, want %+v", got, want)
	}
	if got[0].Target != "alpha" || got[0].Records != 3 || len(got[0].Head) != 64 {
		t.Fatalf("alpha's head = %+v", got[0])
	}
	var buf bytes.Buffer
	n, err := c.Backup(context.Background(), &buf)
	if err != nil || n == 0 || int64(buf.Len()) != n {
		t.Fatalf("backup: %d bytes, %v", n, err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := writeFile(path, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	cp, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	rep, err := cp.Verify(context.Background(), nil)
	if err != nil || !rep.OK() || rep.Versions != 4 {
		t.Fatalf("the copy: %v, %+v", err, rep)
	}
}
