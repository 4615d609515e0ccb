package fetch

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// readAll returns exactly the bytes read, whether the size is known or
// not and wherever the pieces it reads in end, and the reader's error.
func TestReadAll(t *testing.T) {
	for _, n := range []int{0, 1, readChunk - 1, readChunk, readChunk + 1, 3*readChunk + 17} {
		want := bytes.Repeat([]byte("개인정보 처리방침 "), n/25+1)[:n]
		for _, size := range []int64{-1, int64(n)} {
			for name, r := range map[string]io.Reader{
				"whole":       bytes.NewReader(want),
				"byte a read": iotest.OneByteReader(bytes.NewReader(want)),
				"half reads":  iotest.HalfReader(bytes.NewReader(want)),
			} {
				got, err := readAll(r, size)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%d bytes, size %d, %s: got %d bytes, %v", n, size, name, len(got), err)
				}
			}
		}
	}
	broken := errors.New("connection reset")
	r := io.MultiReader(bytes.NewReader(make([]byte, readChunk+5)), iotest.ErrReader(broken))
	if _, err := readAll(r, -1); !errors.Is(err, broken) {
		t.Errorf("a read error after %d bytes: err %v, want %v", readChunk+5, err, broken)
	}
}
