package fetch

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
)

// The EUC-KR/CP949 decoder of golang.org/x/text goes rune by rune through
// its Transform, ASCII included, and transform.Bytes grows its output by
// doubling. Korean pages are mostly ASCII markup around two-byte Hangul, so
// decodeEUCKR does the same decoding in one pass into one buffer sized for
// the common case, copying ASCII eight bytes at a time. Its table is read
// out of the x/text decoder itself (eucKRTable), so both map every byte pair
// alike; TestDecodeEUCKRMatchesXText compares them on every input of one or
// two bytes and on three-byte inputs of the bytes that decide where a
// character ends, FuzzDecodeEUCKR on any other.

// eucKRTable maps a two-byte sequence (lead 0x81–0xFE, trail any byte) to
// its rune, 0 when x/text decodes the pair as an error.
var eucKRTable = sync.OnceValue(func() *[126 * 256]uint16 {
	var t [126 * 256]uint16
	dec := korean.EUCKR.NewDecoder()
	var dst [8]byte
	var src [2]byte
	for c0 := 0x81; c0 <= 0xfe; c0++ {
		for c1 := range 256 {
			dec.Reset()
			src = [2]byte{byte(c0), byte(c1)}
			nDst, nSrc, err := dec.Transform(dst[:], src[:], true)
			if err != nil {
				panic("fetch: x/text EUC-KR decoder failed on a byte pair: " + err.Error())
			}
			r, size := utf8.DecodeRune(dst[:nDst])
			if nSrc == 2 && size == nDst && r != utf8.RuneError {
				if r > 0xffff {
					panic("fetch: x/text EUC-KR decoder maps a byte pair outside the BMP")
				}
				t[(c0-0x81)*256+c1] = uint16(r)
			}
		}
	}
	return &t
})

// eucKRUTF8 is eucKRTable with each rune's UTF-8 encoding ready to store:
// its bytes in the low 24 bits (first byte lowest), its length in bits 24–25
// and whether it is a Hangul syllable in bit 26; 0 where eucKRTable is 0.
var eucKRUTF8 = sync.OnceValue(func() *[126 * 256]uint32 {
	var u [126 * 256]uint32
	for i, r := range eucKRTable() {
		if r == 0 {
			continue
		}
		var b [4]byte
		n := utf8.EncodeRune(b[:], rune(r))
		e := binary.LittleEndian.Uint32(b[:]) | uint32(n)<<24
		if r >= 0xAC00 && r <= 0xD7A3 {
			e |= 1 << 26
		}
		u[i] = e
	}
	return &u
})

// decodeEUCKR decodes src as EUC-KR/Code Page 949 the way the x/text
// decoder (the WHATWG euc-kr decoder) does, returning valid UTF-8 and how
// many Hangul syllables and U+FFFD it holds: a lead byte with a trail byte
// that forms no character becomes one U+FFFD for both bytes, or for the
// lead alone when the trail is ASCII (which is then read on its own); any
// other byte that starts no character becomes U+FFFD.
func decodeEUCKR(src []byte) (out []byte, hangul, bad int) {
	t, u := eucKRTable(), eucKRUTF8()
	// Hangul takes three bytes in UTF-8 for two here; markup one for one.
	dst := make([]byte, len(src)+len(src)/2+16)
	n := 0
	for i := 0; i < len(src); {
		if len(dst)-n < 8 {
			dst = grow(dst, n, len(src)-i)
		}
		c0 := src[i]
		if c0 < utf8.RuneSelf {
			// Runs of ASCII (markup, scripts) go eight bytes at a time.
			for i+8 <= len(src) && len(dst)-n >= 8 {
				w := binary.LittleEndian.Uint64(src[i:])
				if w&0x8080808080808080 != 0 {
					break
				}
				binary.LittleEndian.PutUint64(dst[n:], w)
				n += 8
				i += 8
			}
			for i < len(src) && n < len(dst) && src[i] < utf8.RuneSelf {
				dst[n] = src[i]
				n++
				i++
			}
			continue
		}
		// Runs of characters go by their ready encodings, four bytes
		// stored for each while dst has room for four (the outer loop
		// grows it).
		if i0 := i; c0 != 0x80 && c0 != 0xff {
			for i+1 < len(src) && len(dst)-n >= 4 {
				c := src[i]
				if c < 0x81 || c == 0xff {
					break
				}
				e := u[int(c-0x81)<<8|int(src[i+1])]
				if e == 0 {
					break
				}
				binary.LittleEndian.PutUint32(dst[n:], e)
				n += int(e >> 24 & 3)
				hangul += int(e >> 26 & 1)
				i += 2
			}
			if i > i0 {
				continue
			}
		}
		var r rune
		switch {
		case c0 == 0x80 || c0 == 0xff || i+1 == len(src):
			r = utf8.RuneError
			i++
		default:
			c1 := src[i+1]
			r = rune(t[int(c0-0x81)*256+int(c1)])
			switch {
			case r != 0:
				i += 2
			case c1 < utf8.RuneSelf:
				r = utf8.RuneError
				i++
			default:
				r = utf8.RuneError
				i += 2
			}
		}
		switch {
		case r >= 0xAC00 && r <= 0xD7A3:
			hangul++
		case r == utf8.RuneError:
			bad++
		}
		if r >= 0x800 { // every Hangul syllable, and U+FFFD
			dst[n] = byte(0xe0 | r>>12)
			dst[n+1] = byte(0x80 | (r>>6)&0x3f)
			dst[n+2] = byte(0x80 | r&0x3f)
			n += 3
			continue
		}
		n += utf8.EncodeRune(dst[n:], r)
	}
	return dst[:n:n], hangul, bad
}

// grow returns dst with its first n bytes kept and room for the rest of
// the input (left bytes) at the worst expansion, three bytes for one.
func grow(dst []byte, n, left int) []byte {
	bigger := make([]byte, n+3*left+16)
	copy(bigger, dst[:n])
	return bigger
}
