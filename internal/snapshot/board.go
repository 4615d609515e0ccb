package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/i18n"
)

// MaxBoardPosts bounds the policy posts a BoardState keeps (the newest).
const MaxBoardPosts = 100

// BoardState is what monitord knows of a target's notice board
// (boards/<target>): where it is, how the last reads went, and the posts
// about the privacy policy it has shown, with when each was first seen.
type BoardState struct {
	// URL is the board's list page, "" when none is known.
	URL string `json:"url,omitempty"`
	// Discovered reports that URL was found by discovery (notice_url =
	// "auto"), not configured.
	Discovered bool `json:"discovered,omitempty"`
	// DiscoveredAt is the last discovery attempt (found or not).
	DiscoveredAt time.Time `json:"discovered_at,omitzero"`

	// FirstRead and LastRead are the first and the latest successful read.
	FirstRead time.Time `json:"first_read,omitzero"`
	LastRead  time.Time `json:"last_read,omitzero"`
	// LastAttempt is the latest read, successful or not.
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// SHA256 is the hex SHA-256 of the list page at LastRead; the page is a
	// blob when a read found a new policy post (or was the first).
	SHA256 string `json:"sha256,omitempty"`
	// Listed is how many posts LastRead found; Oldest the oldest date among
	// them (YYYY-MM-DD), which bounds what that read can vouch for.
	Listed int    `json:"listed,omitempty"`
	Oldest string `json:"oldest,omitempty"`

	// Reason and Error say why the latest attempt failed ("" after a
	// success); Failures counts consecutive failed attempts.
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
	// Message is a fetch failure's words (i18n), for the reader's language.
	Message  []i18n.Msg `json:"message,omitempty"`
	Failures int        `json:"failures,omitempty"`

	// Posts are the policy posts seen, oldest first seen first.
	Posts []BoardPost `json:"posts,omitempty"`
}

// BoardPost is a post about the privacy policy, as the board showed it.
type BoardPost struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	// Posted is the date the list shows; Effective the 시행일 the post
	// names (YYYY-MM-DD or "").
	Posted    string `json:"posted"`
	Effective string `json:"effective,omitempty"`
	// Line is the post's line naming its 시행일.
	Line string `json:"line,omitempty"`
	// FirstSeen is the read that first listed it; AbsentAt the read before
	// that, when it covered the post's date and did not list it.
	FirstSeen time.Time `json:"first_seen"`
	AbsentAt  time.Time `json:"absent_at,omitzero"`
	// SHA256 is the hex SHA-256 of the post's page (when followed) or of
	// the list page that first showed it; the page is a blob.
	SHA256 string `json:"sha256,omitempty"`
	// Followed reports that the post itself was read (once).
	Followed bool          `json:"followed,omitempty"`
	Changes  []BoardChange `json:"changes,omitempty"`
	// Event is the id of the policy.announced event it raised, "" if none.
	Event string `json:"event,omitempty"`
}

// BoardChange is a row of a post's before/after table.
type BoardChange struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

// Board returns the stored board state of a target; false when none.
func (s *Store) Board(target string) (BoardState, bool, error) {
	var st BoardState
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketBoards).Get([]byte(target))
		if raw == nil {
			return nil
		}
		ok = true
		if err := json.Unmarshal(raw, &st); err != nil {
			return fmt.Errorf("decode board of %q: %w", target, err)
		}
		return nil
	})
	return st, ok, wrapRead(err, "board of %q", target)
}

// RecordBoard stores a target's board state, the board pages it quotes
// (content-addressed blobs, stored once) and the events the read raised
// (policy.announced), in one write transaction. Posts beyond MaxBoardPosts
// are dropped, oldest first.
func (s *Store) RecordBoard(ctx context.Context, target string, st BoardState, pages [][]byte, events []Event) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("snapshot: record board of %q: %w", target, err)
	}
	if target == "" {
		return errors.New("snapshot: record board: no target name")
	}
	at := PrepareBoard(&st, time.Now())
	blobs := make([]*pendingBlob, 0, len(pages))
	for _, p := range pages {
		b := newBlob(p)
		b.enc = encodeBlob(p) // outside the shared write transaction
		blobs = append(blobs, b)
	}
	err := s.batch(func(tx *bolt.Tx) error {
		for _, b := range blobs {
			if _, err := b.put(s, tx); err != nil {
				return fmt.Errorf("store board page: %w", err)
			}
		}
		if err := putJSON(tx.Bucket(bucketBoards), []byte(target), st); err != nil {
			return err
		}
		return writeEvents(tx, target, at, events)
	})
	if err != nil {
		if errors.Is(err, errEvents) {
			return err
		}
		return fmt.Errorf("snapshot: record board of %q: %w", target, err)
	}
	return nil
}

// Blob returns stored content by its hex SHA-256 (a board page, a raw
// page), or ErrNotFound.
func (s *Store) Blob(sha256Hex string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = readBlob(tx, sha256Hex)
		return err
	})
	return out, wrapRead(err, "blob %s", sha256Hex)
}
