package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// PageKey returns the target's page key (the zero PageKey when none is
// stored): see snapshot.Store.PageKey.
func (s *Store) PageKey(target string) (snapshot.PageKey, error) {
	ctx, cancel := s.readCtx()
	defer cancel()
	var (
		pk      snapshot.PageKey
		version int64
	)
	err := s.pool.QueryRow(ctx, `SELECT version, text_hash, key FROM page_keys WHERE target = $1`, target).
		Scan(&version, &pk.TextHash, &pk.Key)
	if errors.Is(err, pgx.ErrNoRows) {
		return snapshot.PageKey{}, nil
	}
	if err != nil {
		return snapshot.PageKey{}, s.wrapRead(err, "page key of %q", target)
	}
	pk.Version = uint64(version)
	return pk, nil
}

// queuePageKey queues the write of the page key of the version an
// observation leaves current, as the bbolt store keeps it: only for an
// observation that carries a key and was not a 304, and only when it
// changes (an unchanged re-check writes nothing but last_seen).
func queuePageKey(b *pgx.Batch, obs *snapshot.Observation, v snapshot.Version) {
	if obs.PageKey == "" || obs.NotModified {
		return
	}
	b.Queue(`INSERT INTO page_keys (target, version, text_hash, key) VALUES ($1, $2, $3, $4)
		ON CONFLICT (target) DO UPDATE SET version = excluded.version, text_hash = excluded.text_hash, key = excluded.key
		WHERE (page_keys.version, page_keys.text_hash, page_keys.key) IS DISTINCT FROM (excluded.version, excluded.text_hash, excluded.key)`,
		obs.Target, int64(v.ID), v.TextHash, obs.PageKey)
}
