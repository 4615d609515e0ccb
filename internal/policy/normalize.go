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

// normalize is Normalize that also reports whether the line has an ASCII
// digit, which the date and period finders need (found in the same pass).
func normalize(line string) (string, bool) {
	if digit, ok := plain(line); ok {
		return line, digit
	}
	s := extract.NormalizeLine(line)
	if strings.Contains(s, "\uFFFD") {
		s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\uFFFD", " ")), " ")
	}
	return s, strings.ContainsAny(s, "0123456789")
}

// plain reports whether line is already normalized because it holds only
// characters the normaliser leaves alone (Hangul syllables, printable
// ASCII, extract.Untouched), single spaces between words and none at its
// ends: nearly every line of a Korean policy, which then needs no copy.
// digit reports an ASCII digit.
func plain(line string) (digit, ok bool) {
	if line == "" {
		return false, true
	}
	if line[0] == ' ' || line[len(line)-1] == ' ' {
		return false, false
	}
	prevSpace := false
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false, false
			}
			prevSpace = true
			i++
			continue
		case c > ' ' && c < 0x7F:
			if c >= '0' && c <= '9' {
				digit = true
			}
			i++
		case hangulSyllable(line, i):
			i += 3
		default:
			r, n := utf8.DecodeRuneInString(line[i:])
			if !extract.Untouched(r) {
				return false, false
			}
			i += n
		}
		prevSpace = false
	}
	return digit, true
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
