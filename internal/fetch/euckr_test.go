package fetch

import (
	"bytes"
	"fmt"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
)

// xtextEUCKR is the decoder decodeEUCKR stands in for.
func xtextEUCKR(t testing.TB, b []byte) []byte {
	t.Helper()
	out, err := korean.EUCKR.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatalf("x/text EUC-KR decoder: %v", err)
	}
	return out
}

// TestDecodeEUCKRMatchesXText compares decodeEUCKR with the x/text decoder
// on every input of one and two bytes, and on every three-byte input made
// of the bytes that decide how a sequence ends (ASCII, an invalid lead, lead
// and trail bytes of both ranges), alone and after ASCII that the eight-byte
// copy takes.
func TestDecodeEUCKRMatchesXText(t *testing.T) {
	check := func(in []byte) {
		t.Helper()
		got, want := decodeEUCKRText(in), xtextEUCKR(t, in)
		if !bytes.Equal(got, want) {
			t.Fatalf("decodeEUCKR(% x) = %q, x/text gives %q", in, got, want)
		}
	}
	for c0 := range 256 {
		check([]byte{byte(c0)})
		for c1 := range 256 {
			check([]byte{byte(c0), byte(c1)})
		}
	}
	edge := []byte{0x00, 0x20, 0x40, 0x41, 0x5a, 0x5b, 0x60, 0x61, 0x7a, 0x7b, 0x7f, 0x80, 0x81, 0xa0, 0xa1,
		0xb0, 0xc6, 0xc7, 0xc8, 0xc9, 0xfd, 0xfe, 0xff}
	for _, a := range edge {
		for _, b := range edge {
			for _, c := range edge {
				check([]byte{a, b, c})
				check([]byte{'<', 'p', '>', 'x', 'y', 'z', '1', '2', '3', a, b, c})
				check([]byte{a, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', b, c})
			}
		}
	}
}

func TestDecodeEUCKRPages(t *testing.T) {
	for _, in := range [][]byte{
		nil,
		toEUCKR(t, page60K("euc-kr")),
		// Mostly invalid bytes: the output is three times the input.
		bytes.Repeat([]byte{0x80, 0xff, 0xc8, 0x20}, 5000),
		append(toEUCKR(t, "개인정보 처리방침"), 0xb0),
	} {
		got, want := decodeEUCKRText(in), xtextEUCKR(t, in)
		if !bytes.Equal(got, want) {
			t.Fatalf("decodeEUCKR of %d bytes differs from x/text", len(in))
		}
		if !utf8.Valid(got) {
			t.Fatalf("decodeEUCKR of %d bytes is not valid UTF-8", len(in))
		}
	}
}

// FuzzDecodeEUCKR checks decodeEUCKR against the x/text decoder on any input.
func FuzzDecodeEUCKR(f *testing.F) {
	f.Add([]byte("<p>\xb0\xb3\xc0\xce\xc1\xa4\xba\xb8</p>"))
	f.Add([]byte("\x81A\x81\x20\xfe\xfe\xc8"))
	f.Add(toEUCKR(f, page("", policyBody)))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, want := decodeEUCKRText(in), xtextEUCKR(t, in)
		if !bytes.Equal(got, want) {
			t.Fatalf("decodeEUCKR(%q) = %q, x/text gives %q", in, got, want)
		}
		if !utf8.Valid(got) {
			t.Fatalf("decodeEUCKR(%q) is not valid UTF-8", in)
		}
	})
}

func BenchmarkDecodeEUCKR(b *testing.B) {
	euc := toEUCKR(b, page60K("euc-kr"))
	b.Run("own", func(b *testing.B) {
		b.SetBytes(int64(len(euc)))
		b.ReportAllocs()
		for b.Loop() {
			decodeEUCKR(euc)
		}
	})
	b.Run("x-text", func(b *testing.B) {
		b.SetBytes(int64(len(euc)))
		b.ReportAllocs()
		for b.Loop() {
			xtextEUCKR(b, euc)
		}
	})
}

// decodeEUCKRText is decodeEUCKR's text, with its counts checked against
// the text.
func decodeEUCKRText(in []byte) []byte {
	out, hangul, bad := decodeEUCKR(in)
	var h, b int
	for _, r := range string(out) {
		switch {
		case r >= 0xAC00 && r <= 0xD7A3:
			h++
		case r == utf8.RuneError:
			b++
		}
	}
	if h != hangul || b != bad {
		panic(fmt.Sprintf("decodeEUCKR(%q) counts %d Hangul and %d U+FFFD, the text has %d and %d", in, hangul, bad, h, b))
	}
	return out
}
