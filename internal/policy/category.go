package policy

import (
	"unicode"
	"unicode/utf8"
)

// categoryRules maps title keywords to categories. Titles are compared with
// spaces and punctuation removed. The first rule with a matching keyword wins,
// so the order settles overlaps: "자동수집 장치" is cookies before "수집" is
// items, "수집한 개인정보의 위탁" is outsourcing, "이용목적" is purpose before
// "수집" makes it items, and "처리방침 변경" is changes before anything else.
var categoryRules = []struct {
	cat      Category
	keywords []string
}{
	{CategoryOther, []string{"자율적"}}, // "그 밖에 … 자율적으로 정한 사항" names 보호조치 but is not about it
	{CategoryChanges, []string{"처리방침변경", "처리방침의변경", "방침의변경", "방침변경", "처리방침의개정", "방침의개정", "고지의의무", "공지의무", "고지의무", "부칙", "변경에따른", "개정및고지", "변경및고지", "변경고지", "정책업데이트", "정책의변경", "정책변경", "changestothis", "changestoour", "changestoprivacy", "policychanges", "policyupdate", "updatestothis", "amendment"}},
	{CategoryCookies, []string{"쿠키", "자동수집", "자동으로수집", "자동수집장치", "행태정보", "광고식별자", "cookie", "tracking", "추적", "트래킹", "adidentifier", "advertisingid"}},
	{CategorySensitive, []string{"민감정보", "sensitive"}},
	{CategoryPseudonymous, []string{"가명정보", "가명처리", "pseudonym"}},
	{CategoryChildren, []string{"아동", "14세미만", "만14세", "children", "child", "minors"}},
	{CategoryOverseas, []string{"국외이전", "국외로이전", "해외이전", "국외", "internationaltransfer", "internationaldata", "crossborder", "transfersoutside", "overseas"}},
	{CategoryOutsourcing, []string{"위탁", "수탁", "serviceprovider", "processors", "subprocessor"}},
	{CategoryThirdParty, []string{"제3자", "제삼자", "제공및공유", "공유및제공", "개인정보제공", "개인정보공유", "thirdpart", "sharing", "disclos", "share"}},
	{CategoryDestruction, []string{"파기", "deletion", "destruction", "disposal"}},
	{CategoryRetention, []string{"보유", "보관기간", "보관및삭제", "보관과삭제", "보존", "이용기간", "retention", "retain", "howlong"}},
	{CategoryRights, []string{"권리", "행사방법", "열람", "동의철회", "탈퇴방법", "정보주체의의무", "yourrights", "rights", "choices", "optout"}},
	{CategorySafety, []string{"안전성", "안전조치", "보호조치", "보호대책", "기술적", "관리적", "암호화", "보안", "security", "safeguard"}},
	{CategoryRemedies, []string{"권익침해", "구제", "침해신고", "분쟁조정", "complaint", "dispute", "remed"}},
	{CategoryOfficer, []string{"책임자", "담당자", "담당부서", "민원서비스", "고충처리", "연락처", "문의", "연락방법", "contact", "dataprotectionofficer", "privacyofficer"}},
	{CategoryPurpose, []string{"목적", "이유", "purpose", "howweuse", "useof", "whatwedowith", "howweprocess"}},
	{CategoryItems, []string{"항목", "수집", "collect", "informationwe", "datawe"}},
}

// Classify returns the standard category of a section title by keyword rules
// (CategoryOther when no rule matches).
func Classify(title string) Category {
	var buf [256]byte // titles are short: the squeezed title stays on the stack
	return classifyKey(appendKey(buf[:0], title))
}

// classifyKey is Classify of a title whose Key is k.
func classifyKey(k []byte) Category {
	best := len(categoryRules)
	for i := 0; i < len(k); {
		c, n := k[i], 1
		var g uint8 // 1 + the index in keywordGroups of the keywords starting here
		switch {
		case c < utf8.RuneSelf:
			g = keywordsByASCII[c]
		case c >= 0xEA && c <= 0xED && i+2 < len(k) && k[i+1]&0xC0 == 0x80 && k[i+2]&0xC0 == 0x80:
			r := rune(c&0x0F)<<12 | rune(k[i+1]&0x3F)<<6 | rune(k[i+2]&0x3F)
			n = 3
			if r >= 0xAC00 && r <= 0xD7A3 {
				g = keywordsBySyllable[r-0xAC00]
				break
			}
			fallthrough
		default:
			var r rune
			r, n = utf8.DecodeRune(k[i:])
			g = keywordsByRune[r]
		}
		if g > 0 {
			for _, kw := range keywordGroups[g-1] {
				if kw.rule < best && len(k)-i >= len(kw.text) && string(k[i:i+len(kw.text)]) == kw.text {
					best = kw.rule
				}
			}
		}
		i += n
	}
	if best == len(categoryRules) {
		return CategoryOther
	}
	return categoryRules[best].cat
}

type keyword struct {
	text string
	rule int
}

// keywordGroups are the keywords of categoryRules grouped by their first
// rune, so that Classify reads a title once instead of searching it per
// keyword; keywordsByASCII, keywordsBySyllable (from U+AC00) and
// keywordsByRune (the other runes) give 1 + the index of the group of a
// rune, 0 when no keyword starts with it. They are built once and never
// written again.
var (
	keywordGroups      [][]keyword
	keywordsByASCII    [utf8.RuneSelf]uint8
	keywordsBySyllable = new([0xD7A4 - 0xAC00]uint8)
	keywordsByRune     = map[rune]uint8{}
)

func init() {
	for i, r := range categoryRules {
		for _, w := range r.keywords {
			first, _ := utf8.DecodeRuneInString(w)
			var g uint8
			switch {
			case first < utf8.RuneSelf:
				g = keywordsByASCII[first]
			case first >= 0xAC00 && first <= 0xD7A3:
				g = keywordsBySyllable[first-0xAC00]
			default:
				g = keywordsByRune[first]
			}
			if g == 0 {
				keywordGroups = append(keywordGroups, nil)
				g = uint8(len(keywordGroups))
				switch {
				case first < utf8.RuneSelf:
					keywordsByASCII[first] = g
				case first >= 0xAC00 && first <= 0xD7A3:
					keywordsBySyllable[first-0xAC00] = g
				default:
					keywordsByRune[first] = g
				}
			}
			keywordGroups[g-1] = append(keywordGroups[g-1], keyword{w, i})
		}
	}
	if len(keywordGroups) > 255 {
		panic("policy: too many keyword groups for a uint8 index")
	}
}

// Key returns the stable key of a title: lower-case letters and digits only,
// without spaces, punctuation or markers, so that renumbering a section or
// re-punctuating its title does not change it.
func Key(title string) string {
	var buf [256]byte
	return string(appendKey(buf[:0], title))
}

// appendKey appends the Key of title to dst. ASCII and Hangul syllables, most
// of every title, take a fast path that gives what the unicode tables would.
func appendKey(dst []byte, title string) []byte {
	// No limit: a rune's lower case takes at most 4 bytes per byte of it.
	return appendKeyUpTo(dst, title, 4*len(title))
}

// appendKeyUpTo is appendKey that stops once more than limit bytes have been
// appended to dst (its result then begins with the Key of title and is
// longer than limit), for the callers that only need a key's first bytes or
// to know that it is long.
func appendKeyUpTo(dst []byte, title string, limit int) []byte {
	limit += len(dst)
	for i := 0; i < len(title) && len(dst) <= limit; {
		c := title[i]
		switch {
		case c < utf8.RuneSelf:
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				dst = append(dst, c)
			case c >= 'A' && c <= 'Z':
				dst = append(dst, c+('a'-'A'))
			}
			i++
			continue
		case hangulSyllable(title, i):
			// 가 (U+AC00) to 힣 (U+D7A3) are letters without case.
			dst = append(dst, title[i:i+3]...)
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(title[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += n
	}
	return dst
}

// squeeze is Key under another name where the intent is matching, not keying.
func squeeze(s string) string { return Key(s) }
