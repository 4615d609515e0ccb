package monitor

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The daemon's chain logger logs every target's head at start and then at
// every interval, and stops with its context.
func TestChainLoggerLogsHeads(t *testing.T) {
	st := snapshottest.Open(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	text := "개인정보 처리방침\n수집 항목과 보유 기간, 파기 절차를 알립니다.\n"
	if _, err := st.Record(context.Background(), snapshot.Observation{Target: "alpha", URL: "https://a.example/p", At: at, Status: 200, Text: text}, nil); err != nil {
		t.Fatal(err)
	}
	stt, _ := st.Target("alpha")
	var buf lockedBuffer
	c := &ChainLogger{Store: st, Logger: slog.New(slog.NewTextHandler(&buf, nil)), Interval: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(buf.String(), "chain head") < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	out := buf.String()
	if strings.Count(out, "chain head") < 2 || !strings.Contains(out, "target=alpha records=1 head="+stt.Chain.Head) {
		t.Fatalf("log = %s\nwant alpha's head %s at start and after an interval", out, stt.Chain.Head)
	}
}
