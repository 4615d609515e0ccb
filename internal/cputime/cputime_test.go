package cputime

import (
	"testing"
	"time"
)

// TestProcessAdvances spins until the process's CPU time moves: a reading
// that never advanced (or went back) would make every benchmark's cpu-ms 0.
func TestProcessAdvances(t *testing.T) {
	start := Process(t)
	deadline := time.Now().Add(5 * time.Second)
	x := uint64(1)
	for time.Now().Before(deadline) {
		for range 1 << 20 {
			x = x*6364136223846793005 + 1
		}
		now := Process(t)
		if now < start {
			t.Fatalf("CPU time went back: %v after %v", now, start)
		}
		if now-start >= 10*time.Millisecond {
			return
		}
	}
	t.Fatalf("CPU time did not advance by 10ms in 5s of spinning (x=%d)", x)
}
