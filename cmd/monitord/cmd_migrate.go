package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage/postgres"
)

// migrateOptions is what `monitord migrate` was asked to do.
type migrateOptions struct {
	configPath string
	from, to   string
	dsn        string
}

func (a *app) migrateCmd() *cobra.Command {
	var o migrateOptions
	c := a.command("migrate", "migrate", nil, func(cmd *cobra.Command, _ []string) error {
		if o.from == "" {
			return &usageError{msg: a.l.T("cli.migrate.no_from"), hint: "monitord migrate -from monitord.db -to postgres"}
		}
		if o.to != config.DriverPostgres {
			return &usageError{msg: a.l.T("cli.migrate.bad_to", o.to), hint: "monitord migrate -from monitord.db -to postgres"}
		}
		return runMigrate(cmd.Context(), a.e, a.l, o, cmd.Flags().Changed("config"))
	})
	fs := c.Flags()
	fs.StringVar(&o.from, "from", "", a.l.T("cli.flag.migrate_from"))
	flagValue(fs, "from", "FILE")
	fs.StringVar(&o.to, "to", "", a.l.T("cli.flag.migrate_to"))
	flagValue(fs, "to", "postgres")
	fs.StringVar(&o.dsn, "dsn", "", a.l.T("cli.flag.migrate_dsn"))
	flagValue(fs, "dsn", "DSN")
	a.configFlag(fs, &o.configPath, defaultConfigPath)
	return c
}

// migrateOpenTimeout bounds waiting for the bbolt file's lock: a running
// daemon holds it.
const migrateOpenTimeout = 5 * time.Second

func runMigrate(ctx context.Context, e *env, l i18n.Lang, o migrateOptions, configGiven bool) error {
	dsn := o.dsn
	if dsn == "" {
		// The database is the configuration's [storage] dsn.
		cfg, err := loadReadingConfig(e, o.configPath)
		if err != nil {
			return err
		}
		l = i18n.Parse(cfg.Language)
		if !cfg.Storage.Postgres() || cfg.Storage.DSN.Reveal() == "" {
			return &usageError{msg: l.T("cli.migrate.no_dsn", cfg.File), hint: "monitord migrate -from monitord.db -to postgres -dsn postgres://monitord@db/monitord"}
		}
		dsn = cfg.Storage.DSN.Reveal()
	} else if configGiven {
		if cfg, err := loadReadingConfig(e, o.configPath); err == nil {
			l = i18n.Parse(cfg.Language)
		}
	}

	src, err := snapshot.Open(o.from, snapshot.Options{ReadOnly: true, Timeout: migrateOpenTimeout})
	if err != nil {
		if errors.Is(err, snapshot.ErrInUse) {
			return &failedError{msg: l.T("cli.migrate.in_use", o.from)}
		}
		return &failedError{msg: l.T("cli.verify.unreadable", o.from, err)}
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		return &failedError{msg: l.T("cli.migrate.no_db", err)}
	}
	defer dst.Close()

	// Verify the source first: a broken store is not copied.
	fmt.Fprintln(e.stderr, l.T("cli.migrate.verifying", o.from))
	srcRep, err := src.Verify(ctx, nil)
	if err != nil {
		return &failedError{msg: l.T("cli.verify.unreadable", o.from, err)}
	}
	if !srcRep.OK() {
		printVerify(e.stdout, l, o.from, srcRep, false)
		return &failedError{msg: l.T("cli.migrate.source_broken", o.from)}
	}

	start := time.Now()
	last := time.Time{}
	copied, err := dst.Import(ctx, o.from, src.Dump, func(n map[string]int64) {
		if time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintln(e.stderr, l.T("cli.migrate.progress", kindCounts(l, n)))
	})
	if err != nil {
		if errors.Is(err, postgres.ErrNotEmpty) {
			return &failedError{msg: l.T("cli.migrate.not_empty", err)}
		}
		return &failedError{msg: l.T("cli.migrate.failed", err, o.from)}
	}
	fmt.Fprintln(e.stderr, l.T("cli.migrate.copied", kindCounts(l, copied), time.Since(start).Round(time.Millisecond)))

	// Then verify the copy and compare both sides.
	fmt.Fprintln(e.stderr, l.T("cli.migrate.verifying", dst.Path()))
	dstRep, err := dst.Verify(ctx, nil)
	if err != nil {
		return &failedError{msg: l.T("cli.verify.unreadable", dst.Path(), err)}
	}
	if !dstRep.OK() {
		printVerify(e.stdout, l, dst.Path(), dstRep, false)
		return &failedError{msg: l.T("cli.migrate.copy_broken", dst.Path())}
	}
	diffs, err := compareStores(src, dst)
	if err != nil {
		return &failedError{msg: l.T("cli.verify.unreadable", dst.Path(), err)}
	}
	if len(diffs) > 0 {
		for _, d := range diffs {
			fmt.Fprintln(e.stdout, l.T("cli.migrate.differs", d))
		}
		return &failedError{msg: l.T("cli.migrate.mismatch", o.from, dst.Path())}
	}
	fmt.Fprintln(e.stdout, l.T("cli.migrate.done", o.from, dst.Path(), len(srcRep.Chains), kindCounts(l, copied)))
	return nil
}

// storeSide is what compareStores reads of either driver.
type storeSide interface {
	Stats() (snapshot.Stats, error)
	ChainHeads() (map[string]snapshot.ChainHead, error)
	EventCounts() (map[snapshot.EventKey]int, error)
}

// compareStores lists how the copy differs from the source: the counts and
// every target's chain head.
func compareStores(a, b storeSide) ([]string, error) {
	var out []string
	sa, err := a.Stats()
	if err != nil {
		return nil, err
	}
	sb, err := b.Stats()
	if err != nil {
		return nil, err
	}
	type counts struct {
		Targets, Versions, Failures, Blobs, Events int
		BlobContentBytes                           int64
	}
	ca := counts{sa.Targets, sa.Versions, sa.Failures, sa.Blobs, sa.Events, sa.BlobContentBytes}
	cb := counts{sb.Targets, sb.Versions, sb.Failures, sb.Blobs, sb.Events, sb.BlobContentBytes}
	if ca != cb {
		out = append(out, fmt.Sprintf("counts: %+v → %+v", ca, cb))
	}
	if !maps.Equal(sa.Deliveries, sb.Deliveries) {
		out = append(out, fmt.Sprintf("deliveries: %v → %v", sa.Deliveries, sb.Deliveries))
	}
	ha, err := a.ChainHeads()
	if err != nil {
		return nil, err
	}
	hb, err := b.ChainHeads()
	if err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(ha)) {
		x, y := ha[name], hb[name]
		if x.Head != y.Head || x.Records != y.Records {
			out = append(out, fmt.Sprintf("%s: chain head %s (%d records) → %s (%d records)", name, x.Head, x.Records, y.Head, y.Records))
		}
	}
	for name := range hb {
		if _, ok := ha[name]; !ok {
			out = append(out, fmt.Sprintf("%s: only in the copy", name))
		}
	}
	ea, err := a.EventCounts()
	if err != nil {
		return nil, err
	}
	eb, err := b.EventCounts()
	if err != nil {
		return nil, err
	}
	if !maps.Equal(ea, eb) {
		out = append(out, fmt.Sprintf("event counts: %v → %v", ea, eb))
	}
	return out, nil
}

// kindCounts writes "blobs 12, targets 3, ..." in DumpOrder.
func kindCounts(l i18n.Lang, n map[string]int64) string {
	var parts []string
	for _, k := range snapshot.DumpOrder {
		parts = append(parts, l.T("cli.migrate.kind."+k, n[k]))
	}
	return strings.Join(parts, ", ")
}
