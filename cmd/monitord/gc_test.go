package main

import (
	"runtime/debug"
	"testing"
)

// check raises the collector's target unless GOGC says otherwise.
func TestBatchGC(t *testing.T) {
	was := debug.SetGCPercent(100)
	defer debug.SetGCPercent(was)
	batchGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != checkGCPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, checkGCPercent)
	}
	batchGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent changed to %d", got)
	}
}
