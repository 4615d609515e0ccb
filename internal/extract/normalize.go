package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize is the whitespace and Unicode normalization every extractor
// applies to its output, exported so that other stages can compare text on
// the same terms. It
//
//   - splits lines at "\n", "\r\n", "\r", U+2028 and U+2029;
//   - turns every other Unicode space (tab, NBSP U+00A0, U+3000, the
//     U+2000..U+200A family, U+202F, U+205F, ...) into an ASCII space;
//   - removes zero-width and invisible format characters (U+200B..U+200F,
//     U+2060..U+2064, U+FEFF, soft hyphen U+00AD, U+180E, bidi embeddings
//     and isolates) and control characters;
//   - replaces invalid UTF-8 with U+FFFD;
//   - collapses runs of spaces, trims each line and drops empty lines;
//   - applies Unicode NFC.
//
// It does not fold full-width letters or digits. Normalize is idempotent.
func Normalize(s string) string {
	out := make([]byte, 0, len(s))
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\n' || c == '\r' {
			out = appendLine(out, s[start:i])
			i++
			if c == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
			continue
		}
		// U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
		if c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
			out = appendLine(out, s[start:i])
			i += 3
			start = i
			continue
		}
		i++
	}
	out = appendLine(out, s[start:])
	return nfc(out)
}

// nfc returns b as a string in Unicode NFC.
func nfc(b []byte) string {
	if isNFC(b) {
		return string(b)
	}
	return norm.NFC.String(string(b))
}

// stableNFC reports characters that are in NFC on their own and never
// combine with what precedes them (Unicode NFC_Quick_Check=Yes and
// canonical combining class 0), in ranges common in Korean policies: a
// text made only of these, ASCII and Hangul syllables is already in NFC.
// TestStableNFC checks every one of them against the Unicode tables.
func stableNFC(r rune) bool {
	switch {
	case r < 0x300, r == 0xFFFD:
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E: // punctuation
		return true
	case r >= 0x2190 && r <= 0x21FF, r >= 0x2460 && r <= 0x27BF: // arrows, ①, ■, ※ ...
		return true
	case r >= 0x3001 && r <= 0x3029, r >= 0x3131 && r <= 0x318E: // 「」, compatibility jamo
		return true
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3: // hanja, Hangul
		return true
	case r >= 0xFF01 && r <= 0xFFEE: // full-width forms
		return true
	}
	return false
}

// isNFC reports whether b is in NFC. ASCII and precomposed Hangul
// syllables, nearly all of a Korean policy, are starters that are NFC on
// their own and never combine with what precedes them, so only the runs of
// other characters, together with the starter before them, need the
// (slower) normalization tables.
func isNFC(b []byte) bool {
	last := 0 // start of the last fast rune
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			last = i
			i++
			continue
		}
		if hangul(b, i) {
			last = i
			i += 3
			continue
		}
		j := i
		for j < len(b) && b[j] >= utf8.RuneSelf && !hangul(b, j) {
			_, size := utf8.DecodeRune(b[j:])
			j += size
		}
		if !norm.NFC.IsNormal(b[last:j]) {
			return false
		}
		i = j
	}
	return true
}

// hangul reports a precomposed Hangul syllable (U+AC00..U+D7A3) encoded
// at s[i:i+3].
func hangul[T string | []byte](s T, i int) bool {
	if i+2 >= len(s) || s[i+2]&0xC0 != 0x80 {
		return false
	}
	b0, b1 := s[i], s[i+1]
	switch {
	case b0 == 0xEA:
		return b1 >= 0xB0 && b1 <= 0xBF
	case b0 == 0xEB || b0 == 0xEC:
		return b1 >= 0x80 && b1 <= 0xBF
	case b0 == 0xED:
		return b1 >= 0x80 && (b1 < 0x9E || (b1 == 0x9E && s[i+2] <= 0xA3))
	}
	return false
}

// decodeRune is utf8.DecodeRune for strings and byte slices alike: it
// returns (utf8.RuneError, 1) for an invalid encoding.
func decodeRune[T string | []byte](s T, i int) (rune, int) {
	b0 := s[i]
	if b0 < utf8.RuneSelf {
		return rune(b0), 1
	}
	n := len(s) - i
	cont := func(k int, lo, hi byte) bool { return k < n && s[i+k] >= lo && s[i+k] <= hi }
	switch {
	case b0 >= 0xC2 && b0 <= 0xDF:
		if cont(1, 0x80, 0xBF) {
			return rune(b0&0x1F)<<6 | rune(s[i+1]&0x3F), 2
		}
	case b0 >= 0xE0 && b0 <= 0xEF:
		lo, hi := byte(0x80), byte(0xBF)
		if b0 == 0xE0 {
			lo = 0xA0
		} else if b0 == 0xED {
			hi = 0x9F
		}
		if cont(1, lo, hi) && cont(2, 0x80, 0xBF) {
			return rune(b0&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
		}
	case b0 >= 0xF0 && b0 <= 0xF4:
		lo, hi := byte(0x80), byte(0xBF)
		if b0 == 0xF0 {
			lo = 0x90
		} else if b0 == 0xF4 {
			hi = 0x8F
		}
		if cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) {
			return rune(b0&0x07)<<18 | rune(s[i+1]&0x3F)<<12 | rune(s[i+2]&0x3F)<<6 | rune(s[i+3]&0x3F), 4
		}
	}
	return utf8.RuneError, 1
}

// appendLine appends the cleaned line s to out, preceded by "\n" when out
// already holds a line. An empty cleaned line appends nothing.
func appendLine[T string | []byte](out []byte, s T) []byte {
	var unsafe bool
	return appendLineNFC(out, s, &unsafe)
}

// appendLineNFC is appendLine that also sets *unsafe when it appends a
// character outside stableNFC: only then can the text need NFC.
func appendLineNFC[T string | []byte](out []byte, s T, unsafe *bool) []byte {
	n := len(out)
	if n > 0 {
		out = append(out, '\n')
	}
	before := len(out)
	out = appendClean(out, s, unsafe)
	if len(out) == before {
		return out[:n]
	}
	return out
}

// appendClean appends s to dst as one line: every kind of space (including
// line breaks) becomes one ASCII space between words, invisible and control
// characters are dropped, and leading and trailing spaces are trimmed.
func appendClean[T string | []byte](dst []byte, s T, unsafe *bool) []byte {
	start := len(dst)
	space := false // a space is pending before the next visible character
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || (c >= '\t' && c <= '\r'):
				space = true
			case c < 0x20 || c == 0x7F:
				// control character: dropped
			default:
				if space && len(dst) > start {
					dst = append(dst, ' ')
				}
				space = false
				dst = append(dst, c)
			}
			continue
		}
		if hangul(s, i) {
			// A Hangul syllable: never a space, control or invisible.
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, s[i:i+3]...)
			i += 3
			continue
		}
		r, size := decodeRune(s, i)
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			r = utf8.RuneError
		case invisible(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case r < 0xA0:
			continue // C1 control
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		if !stableNFC(r) {
			*unsafe = true
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// invisible reports zero-width and format characters that render as
// nothing and only make equal texts differ.
func invisible(r rune) bool {
	switch {
	case r == 0x00AD, r == 0x180E, r == 0xFEFF:
		return true
	case r >= 0x200B && r <= 0x200F: // ZWSP, ZWNJ, ZWJ, LRM, RLM
		return true
	case r >= 0x202A && r <= 0x202E: // bidi embeddings and overrides
		return true
	case r >= 0x2060 && r <= 0x2064: // word joiner, invisible operators
		return true
	case r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	}
	return false
}

// cleanLine returns s as one cleaned line (see appendClean).
func cleanLine(s string) string {
	var unsafe bool
	return string(appendClean(make([]byte, 0, len(s)), s, &unsafe))
}

// blank reports whether s holds nothing but spaces and invisible
// characters.
func blank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || invisible(r) }) == ""
}
