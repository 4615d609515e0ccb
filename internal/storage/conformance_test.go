package storage_test

import (
	"testing"

	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	"github.com/monitord/monitord/internal/storage"
	"github.com/monitord/monitord/internal/storage/storagetest"
)

// The embedded bbolt store meets the conformance suite (the PostgreSQL
// driver runs the same suite in its own tests).
func TestConformanceBbolt(t *testing.T) {
	storagetest.Run(t, func(t testing.TB) storage.Store { return snapshottest.Open(t) })
}
