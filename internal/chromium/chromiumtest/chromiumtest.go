// Package chromiumtest gives tests a headless Chromium: it skips the test
// with a clear message where no browser is installed, except under CI
// (CI=true), where a missing browser fails the test: CI installs chromium.
package chromiumtest

import (
	"context"
	"os"
	"testing"

	"github.com/monitord/monitord/internal/chromium"
)

// Require returns the browser executable or skips (fails under CI).
func Require(tb testing.TB) string {
	tb.Helper()
	exe, err := chromium.Find("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%v: CI must install chromium (.ci/run)", err)
		}
		tb.Skipf("skipping the browser test: %v", err)
	}
	return exe
}

// Start launches a browser for the test and closes it when the test ends.
func Start(tb testing.TB) *chromium.Browser {
	tb.Helper()
	exe := Require(tb)
	b, err := chromium.Start(context.Background(), exe)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}
