package monitor

import (
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// [storage] lease and claim_poll reach the shared schedule of a daemon on
// PostgreSQL; Options win over them, as tests and the simulation need.
func TestSharedLeaseFromConfig(t *testing.T) {
	dsn := pgtest.Start(t)
	parse := func(extra string) *config.Config {
		t.Helper()
		cfg, err := config.Parse([]byte("[storage]\ndriver = \"postgres\"\ndsn = \"env:MONITORD_DSN\"\n"+extra+
			"[server]\nlisten = \"\"\n[[target]]\nname = \"a\"\nurl = \"http://sim.invalid/p\"\n"), "lease.toml",
			func(k string) string {
				if k == "MONITORD_DSN" {
					return dsn
				}
				return ""
			})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	cases := []struct {
		name      string
		extra     string
		opts      Options
		ttl, poll time.Duration
	}{
		{"defaults", "", Options{}, 30 * time.Second, time.Second},
		{"from the config", "lease = \"7s\"\nclaim_poll = \"250ms\"\n", Options{}, 7 * time.Second, 250 * time.Millisecond},
		{"options win", "lease = \"7s\"\nclaim_poll = \"250ms\"\n", Options{Lease: time.Minute, ClaimPoll: 20 * time.Millisecond}, time.Minute, 20 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Config = parse(tc.extra)
			d, err := New(o)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			sh := d.Scheduler.shared
			if sh == nil {
				t.Fatal("a daemon on PostgreSQL has no shared schedule")
			}
			if sh.ttl != tc.ttl || sh.poll != tc.poll {
				t.Errorf("lease %s, claim poll %s; want %s and %s", sh.ttl, sh.poll, tc.ttl, tc.poll)
			}
		})
	}
}
