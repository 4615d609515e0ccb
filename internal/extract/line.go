package extract

import (
	"unicode/utf8"
	"unsafe"
)

// NormalizeLine is Normalize for one line: the same clean-up (every kind of
// space and line break becomes one space, invisible and control characters
// are dropped, invalid UTF-8 becomes U+FFFD, the line is trimmed and put in
// NFC), so that the stages after extraction (the parser, the diff) compare
// text on exactly the terms the extractor wrote it. It is the one Unicode
// normaliser of monitord; NormalizeLine(Normalize(s)) == Normalize(s) for a
// single-line s.
func NormalizeLine(s string) string {
	var notNFC bool
	b := appendClean(make([]byte, 0, len(s)), s, &notNFC)
	if notNFC {
		return nfc(b)
	}
	if string(b) == s {
		return s
	}
	// b is ours and never written again: hand it over without a copy, as
	// strings.Builder does.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Untouched reports whether NormalizeLine leaves r as it is wherever it
// stands: a visible character, not a space, invisible or control
// character, and in NFC whatever surrounds it. A line made of these and
// single spaces, none at its ends, is already normalized; callers use it
// to skip the copy.
func Untouched(r rune) bool {
	switch {
	case r > ' ' && r < 0x7F:
		return true
	case r < 0xA1, r == 0xAD, r == utf8.RuneError:
		return false
	case r < 0x300:
		return true
	}
	return r >= 0x2010 && stableNFC(r)
}
