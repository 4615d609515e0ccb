package snapshot

import (
	"encoding/binary"
	"time"
)

// itob encodes an id as an 8-byte big-endian key, so keys sort by id.
func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// timeKeyLayout is RFC 3339 in UTC with nanoseconds always written, so every
// key has the same width and byte order equals time order.
const timeKeyLayout = "2006-01-02T15:04:05.000000000Z"

// timeKeyLen is the width of every timeKey.
const timeKeyLen = len(timeKeyLayout)

// timeKey encodes t as a fixed-width, sortable key. Times outside years
// 0000-9999 are clamped to keep the width fixed.
func timeKey(t time.Time) []byte {
	t = t.UTC()
	switch {
	case t.Year() < 0:
		t = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	case t.Year() > 9999:
		t = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	}
	return t.AppendFormat(make([]byte, 0, timeKeyLen), timeKeyLayout)
}

// concat returns a new slice holding the parts in order.
func concat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
