package policy

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize cleans one line of text the way the extractor does: every kind of
// space (NBSP, full-width, tabs) becomes one ASCII space, zero-width
// characters and soft hyphens are dropped, runs of spaces collapse, the ends
// are trimmed, and the result is NFC. A line that needs none of this is
// returned as is, without allocating.
func Normalize(line string) string {
	s, _ := normalize(line)
	return s
}

// normalize is Normalize that also reports whether the line has an ASCII
// digit, which the date and period finders need (found in the same pass).
func normalize(line string) (string, bool) {
	dirty, denorm, digit := false, false, false
	prevSpace := true // a leading space is dirty
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ':
				if prevSpace {
					dirty = true
				}
				prevSpace = true
			case c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n':
				dirty = true
				prevSpace = true
			default:
				prevSpace = false
				if c-'0' < 10 {
					digit = true
				}
			}
			continue
		}
		// Only a few lead bytes can start a space, an invisible character or
		// a decomposed sequence; skip the rest (Hangul syllables) undecoded.
		if c >= 0xEA && c <= 0xED { // most Hangul syllables: the hot path
			i += 3
			prevSpace = false
			continue
		}
		switch c {
		case 0xC2, 0xCC, 0xCD, 0xE1, 0xE2, 0xE3, 0xEF:
		default:
			switch {
			case c >= 0xF0:
				i += 4
			case c >= 0xE0:
				i += 3
			case c >= 0xC0:
				i += 2
			default:
				dirty = true
				i++
			}
			prevSpace = false
			continue
		}
		if c == 0xC2 && i+1 < len(line) && line[i+1] == 0xA0 { // NBSP, common
			dirty = true
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(line[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			dirty = true
		case isSpaceRune(r) || isInvisible(r):
			dirty = true
		case r >= 0x0300 && r <= 0x036F, r >= 0x1100 && r <= 0x11FF:
			denorm = true
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	if prevSpace && len(line) > 0 {
		dirty = true // trailing space
	}
	s := line
	if dirty {
		s = rebuild(line)
	}
	if denorm {
		s = norm.NFC.String(s)
	}
	return s, digit
}

func isSpaceRune(r rune) bool {
	switch {
	case r == 0x00A0, r == 0x1680, r >= 0x2000 && r <= 0x200A, r == 0x2028, r == 0x2029,
		r == 0x202F, r == 0x205F, r == 0x3000, r == 0x0085:
		return true
	}
	return false
}

func isInvisible(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD:
		return true
	}
	return false
}

// rebuild is the slow path of Normalize: it copies line a run of ordinary
// bytes at a time, turning space runs into one space and dropping invisible
// characters and invalid bytes.
func rebuild(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	pending := false
	keep := func(part string) {
		if part == "" {
			return
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteString(part)
	}
	rs := 0 // start of the current run of ordinary bytes
	for i := 0; i < len(line); {
		c := line[i]
		size := 1
		space, drop := false, false
		switch {
		case c < utf8.RuneSelf:
			space = c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n'
		case hangulLead(line, i):
			size = 3
		case c == 0xC2 && i+1 < len(line) && line[i+1] == 0xA0: // NBSP
			size, space = 2, true
		default:
			r, n := utf8.DecodeRuneInString(line[i:])
			size = n
			space = isSpaceRune(r)
			drop = isInvisible(r) || (r == utf8.RuneError && n == 1)
		}
		if space || drop {
			keep(line[rs:i])
			if space {
				pending = b.Len() > 0
			}
			rs = i + size
		}
		i += size
	}
	keep(line[rs:])
	return b.String()
}

// hangulLead reports whether line[i:] starts with a valid three-byte rune in
// U+A000–U+D7FF (Hangul syllables and their neighbours), which is neither a
// space nor invisible and so needs no decoding.
func hangulLead(line string, i int) bool {
	if i+2 >= len(line) {
		return false
	}
	c, c1, c2 := line[i], line[i+1], line[i+2]
	return c >= 0xEA && c <= 0xED && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 && (c != 0xED || c1 < 0xA0)
}
