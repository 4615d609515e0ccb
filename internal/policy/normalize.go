package policy

import (
	"strings"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/extract"
)

// Normalize returns a line as the parser reads it: the extractor's Unicode
// clean-up (extract.NormalizeLine: spaces folded, invisible characters
// dropped, NFC), and then without U+FFFD, what invalid bytes decode to, so
// that a page that gained or lost a few broken bytes reads the same.
func Normalize(line string) string {
	s, _ := normalize(line)
	return s
}

// facts are what the parser's passes test every line for, found once.
type facts uint8

const (
	factDigit      facts = 1 << iota // an ASCII digit
	factDateDigits                   // two ASCII digits in a row (hasDateDigits)
	factEmphasis                     // '*', '_' or '`' (dateText changes the line)
	factBackslash                    // '\\' (a Markdown escape, maybe)
)

// normalize is Normalize that also reports the facts of the normalized line
// (found in the same pass when the line is plain).
func normalize(line string) (string, facts) {
	if f, ok := plain(line); ok {
		return line, f
	}
	s := extract.NormalizeLine(line)
	if strings.Contains(s, "\uFFFD") {
		s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\uFFFD", " ")), " ")
	}
	return s, factsOf(s)
}

// factsOf returns the facts of s.
func factsOf(s string) facts {
	var f, prev facts // prev: factDigit when the byte before was a digit
	for i := 0; i < len(s); i++ {
		t := byteFacts[s[i]]
		cur := t & factDigit
		f |= t | (prev&cur)<<1 // factDateDigits is factDigit<<1
		prev = cur
	}
	return f
}

// byteFacts holds the facts a single byte makes. It is built once and never
// written again.
var byteFacts = func() (t [256]facts) {
	if factDateDigits != factDigit<<1 {
		panic("policy: factsOf needs factDateDigits == factDigit<<1")
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = factDigit
	}
	t['*'], t['_'], t['`'] = factEmphasis, factEmphasis, factEmphasis
	t['\\'] = factBackslash
	return t
}()

// plain reports whether line is already normalized because it holds only
// characters the normaliser leaves alone (Hangul syllables, printable
// ASCII, extract.Untouched), single spaces between words and none at its
// ends: nearly every line of a Korean policy, which then needs no copy.
// f is then factsOf(line).
func plain(line string) (f facts, ok bool) {
	if line == "" {
		return 0, true
	}
	if line[0] == ' ' || line[len(line)-1] == ' ' {
		return 0, false
	}
	prevSpace, prevDigit := false, false
	for i := 0; i < len(line); {
		c := line[i]
		if c >= 0xEA && c <= 0xED {
			// Most bytes: a run of Hangul syllables (see hangulSyllable:
			// EB and EC lead only syllables; EA from B0, ED to 9E A3).
			rest := line[i:]
			j := 0
			for len(rest) >= j+3 {
				c, c1, c2 := rest[j], rest[j+1], rest[j+2]
				if c1&0xC0 != 0x80 || c2&0xC0 != 0x80 ||
					c-0xEB > 1 && !(c == 0xEA && c1 >= 0xB0 || c == 0xED && (c1 < 0x9E || c1 == 0x9E && c2 <= 0xA3)) {
					break
				}
				j += 3
			}
			if j > 0 {
				prevSpace, prevDigit = false, false
				i += j
				continue
			}
		}
		switch {
		case c == ' ':
			if prevSpace {
				return 0, false
			}
			prevSpace, prevDigit = true, false
			i++
			continue
		case c > ' ' && c < 0x7F:
			if c >= '0' && c <= '9' {
				f |= factDigit
				if prevDigit {
					f |= factDateDigits
				}
				prevDigit = true
			} else {
				if c == '*' || c == '_' || c == '`' {
					f |= factEmphasis
				} else if c == '\\' {
					f |= factBackslash
				}
				prevDigit = false
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(line[i:])
			if !extract.Untouched(r) {
				return 0, false
			}
			prevDigit = false
			i += n
		}
		prevSpace = false
	}
	return f, true
}

// hangulSyllable reports a precomposed Hangul syllable (U+AC00..U+D7A3) at
// line[i:i+3].
func hangulSyllable(line string, i int) bool {
	if i+2 >= len(line) || line[i+1]&0xC0 != 0x80 || line[i+2]&0xC0 != 0x80 {
		return false
	}
	r := rune(line[i]&0x0F)<<12 | rune(line[i+1]&0x3F)<<6 | rune(line[i+2]&0x3F)
	return line[i]&0xF0 == 0xE0 && r >= 0xAC00 && r <= 0xD7A3
}
