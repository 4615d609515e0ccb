package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

var base = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// policy is a policy-like text; variants differ in the effective date.
func policy(variant int, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "개인정보 처리방침\n시행일자: 2026-12-%02d\n", variant%28+1)
	for i := 1; b.Len() < size; i++ {
		fmt.Fprintf(&b, "제%d조 (처리 목적) 회사는 주문 상품의 배송을 위하여 이름과 연락처를 처리합니다.\n", i)
	}
	return b.String()
}

func obs(target, text string, at time.Time) snapshot.Observation {
	return snapshot.Observation{Target: target, URL: "https://shop.example.kr/" + target + "/privacy", At: at, Status: 200,
		Raw: []byte("<html><body><main>" + text + "</main></body></html>"), Text: text, MediaType: "text/html", Rules: "r1"}
}

func changeEvents(o snapshot.Outcome) ([]snapshot.Event, error) {
	if !o.Kind.Stored() {
		return nil, nil
	}
	return []snapshot.Event{{ID: fmt.Sprintf("evt_%s_%d", o.Version.Target, o.Version.ID), Type: "policy.changed",
		Version: o.Version.ID, Payload: []byte(`{"b":1,"a":[2]}`), Webhooks: []string{"ops", "legal"}}}, nil
}

// Several workers (each with its own pool) recording one target at once
// take turns on its row: one chain without forks or gaps, every version
// once, every event once.
func TestConcurrentWorkersKeepOneChain(t *testing.T) {
	_, dsn := open(t)
	const workers, each = 4, 12
	stores := make([]*Store, workers)
	for i := range stores {
		s, err := Open(context.Background(), dsn, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w, s := range stores {
		wg.Go(func() {
			for i := range each {
				at := base // one instant: the workers' order is the race's, and times must not go back
				if _, err := s.Record(context.Background(), obs("shop", policy(i*workers+w, 2000), at), changeEvents); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := stores[0]
	st, err := s.Target("shop")
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := s.Versions("shop")
	recs, _, _ := s.Chain("shop")
	if len(vs) != workers*each || st.Versions != len(vs) || int(st.Chain.Records) != len(recs) || len(recs) < len(vs) {
		t.Fatalf("%d versions (state says %d), %d records (head says %d), want %d versions", len(vs), st.Versions, len(recs), st.Chain.Records, workers*each)
	}
	for i, v := range vs {
		if v.ID != uint64(i+1) {
			t.Fatalf("version ids %d at %d: ids must run 1, 2, 3, ...", v.ID, i)
		}
	}
	evs, _ := s.Events(snapshot.EventFilter{})
	if len(evs) != workers*each {
		t.Errorf("%d events, want %d", len(evs), workers*each)
	}
	rep, err := s.Verify(context.Background(), nil)
	if err != nil || !rep.OK() {
		t.Fatalf("verify after concurrent writers: %v %+v", err, rep.Problems)
	}
}

// Verify recomputes every record's hash and every blob's: edits made
// behind monitord's back in SQL are found.
func TestVerifyFindsTamperingInTheDatabase(t *testing.T) {
	ctx := context.Background()
	fresh := func(t *testing.T) *Store {
		s, _ := open(t)
		for i := range 3 {
			if _, err := s.Record(ctx, obs("shop", policy(i, 1500), base.Add(time.Duration(i)*time.Hour)), changeEvents); err != nil {
				t.Fatal(err)
			}
		}
		if rep, err := s.Verify(ctx, nil); err != nil || !rep.OK() || rep.Records != 3 || rep.Versions != 3 || rep.Blobs != 6 {
			t.Fatalf("untouched: %v %+v", err, rep)
		}
		return s
	}
	for _, tc := range []struct {
		name, sql, want string
		broken          uint64
	}{
		{"record edited", `UPDATE chain SET data = convert_to(replace(convert_from(data, 'UTF8'), '"status":200', '"status":201'), 'UTF8') WHERE seq = 1`, "record 1 was changed", 1},
		{"record deleted", `DELETE FROM chain WHERE seq = 2`, "record 2 is missing", 2},
		{"blob altered", `UPDATE blobs SET data = substring(data from 1 for 1) || decode('0400', 'hex') || substring(data from 4) WHERE sha256 = (SELECT sha256 FROM blobs ORDER BY sha256 LIMIT 1)`, "blob", 0},
		{"blob deleted", `DELETE FROM blobs WHERE sha256 = (SELECT sha256 FROM blobs ORDER BY sha256 LIMIT 1)`, "is missing", 0},
		{"version rewritten", `UPDATE versions SET doc = replace(doc::text, '"url":"https://shop', '"url":"https://evil')::json WHERE id = 2`, "url is", 0},
		{"state removed", `UPDATE targets SET doc = NULL`, "no state", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fresh(t)
			if tag, err := s.pool.Exec(ctx, tc.sql); err != nil || tag.RowsAffected() == 0 {
				t.Fatalf("tamper: %v (%d rows)", err, tag.RowsAffected())
			}
			rep, err := s.Verify(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("verify found nothing")
			}
			var all []string
			for _, p := range rep.Problems {
				all = append(all, p.What)
			}
			if !strings.Contains(strings.Join(all, "\n"), tc.want) {
				t.Errorf("problems %q do not say %q", all, tc.want)
			}
			if tc.broken != 0 && (len(rep.Chains) != 1 || rep.Chains[0].FirstBroken != tc.broken) {
				t.Errorf("chains %+v, want first broken %d", rep.Chains, tc.broken)
			}
		})
	}
}

// Backup writes a bbolt store file: it opens with the embedded driver,
// verifies whole and holds the same history, events and delivery states.
func TestBackupIsAnEmbeddedStore(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	for i := range 4 {
		if _, err := s.Record(ctx, obs("shop", policy(i%3, 1500), base.Add(time.Duration(i)*time.Hour)), changeEvents); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordFailure(ctx, "shop", snapshot.Failure{At: base.Add(5 * time.Hour), Error: "timeout"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered("evt_shop_1", "ops", base.Add(time.Minute), 200); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordBoard(ctx, "shop", snapshot.BoardState{URL: "https://shop.example.kr/notice", LastAttempt: base}, [][]byte{[]byte("<ul><li>방침 개정 안내</li></ul>")}, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("backup: %d bytes (%d buffered), %v", n, buf.Len(), err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rep, err := b.Verify(ctx, nil)
	if err != nil || !rep.OK() || rep.Versions != 4 {
		t.Fatalf("verify of the backup: %v %+v", err, rep)
	}
	for name, pair := range map[string][2]func() (any, error){
		"versions":     {func() (any, error) { return s.Versions("shop") }, func() (any, error) { return b.Versions("shop") }},
		"target":       {func() (any, error) { return s.Target("shop") }, func() (any, error) { return b.Target("shop") }},
		"failures":     {func() (any, error) { return s.Failures("shop") }, func() (any, error) { return b.Failures("shop") }},
		"events":       {func() (any, error) { return s.Events(snapshot.EventFilter{}) }, func() (any, error) { return b.Events(snapshot.EventFilter{}) }},
		"due":          {func() (any, error) { return s.Due(base.Add(time.Hour*24), 0) }, func() (any, error) { return b.Due(base.Add(time.Hour*24), 0) }},
		"event counts": {func() (any, error) { return s.EventCounts() }, func() (any, error) { return b.EventCounts() }},
		"chain":        {func() (any, error) { _, h, err := s.Chain("shop"); return h, err }, func() (any, error) { _, h, err := b.Chain("shop"); return h, err }},
	} {
		pv, perr := pair[0]()
		bv, berr := pair[1]()
		if perr != nil || berr != nil || fmt.Sprint(pv) != fmt.Sprint(bv) {
			t.Errorf("%s differ:\npostgres %v %v\nbackup   %v %v", name, pv, perr, bv, berr)
		}
	}
	if bs, ok, err := b.Board("shop"); !ok || err != nil || bs.URL == "" {
		t.Errorf("board in the backup: %+v %v %v", bs, ok, err)
	}
}

// A server that goes away mid-run fails the writes made meanwhile, with
// nothing half-written; once it is back the pool reconnects.
func TestServerRestartMidRun(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	if _, err := s.Record(ctx, obs("shop", policy(1, 1500), base), changeEvents); err != nil {
		t.Fatal(err)
	}
	pgtest.StopServer(t)
	stopped := true
	defer func() {
		if stopped {
			pgtest.StartServer(t)
		}
	}()
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_, err := s.Record(wctx, obs("shop", policy(2, 1500), base.Add(time.Hour)), changeEvents)
	cancel()
	if err == nil {
		t.Fatal("Record succeeded with the server down")
	}
	if _, err := s.Target("shop"); err == nil {
		t.Fatal("a read succeeded with the server down")
	}
	pgtest.StartServer(t)
	stopped = false
	var out snapshot.Outcome
	for attempt := 0; attempt < 50; attempt++ { // the pool drops its dead connections as it meets them
		out, err = s.Record(ctx, obs("shop", policy(2, 1500), base.Add(time.Hour)), changeEvents)
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("Record after the restart: %v", err)
	}
	if out.Kind != snapshot.New || out.Version.ID != 2 {
		t.Fatalf("after the restart: %v version %d, want a new version 2 (the failed Record wrote nothing)", out.Kind, out.Version.ID)
	}
	rep, err := s.Verify(ctx, nil)
	if err != nil || !rep.OK() || rep.Versions != 2 {
		t.Fatalf("verify after the restart: %v %+v", err, rep)
	}
	if evs, _ := s.Events(snapshot.EventFilter{}); len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
}

// Reads carry no context: Close cancels one that waits.
func TestCloseCancelsReads(t *testing.T) {
	s, _ := open(t)
	s.Close()
	if _, err := s.Targets(); err == nil || errors.Is(err, snapshot.ErrNotFound) {
		t.Fatalf("read after Close: %v", err)
	}
}
