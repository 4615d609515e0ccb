package fetch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"
)

// policyBody is a short privacy policy written for these tests, in the
// style of the real ones: numbered articles, dates, a table row.
const policyBody = `<h1>개인정보 처리방침</h1>
<p>주식회사 한빛마루(이하 '회사')는 이용자의 개인정보를 소중히 다루며 관련 법령을 지킵니다.</p>
<h2>제1조(처리하는 개인정보의 항목)</h2>
<p>회사는 회원 가입, 상담, 서비스 신청을 위해 이름, 휴대전화번호, 이메일 주소를 처리합니다.</p>
<table><tr><td>구분</td><td>항목</td><td>보유기간</td></tr>
<tr><td>필수</td><td>이름, 연락처</td><td>회원 탈퇴 시까지</td></tr></table>
<h2>제2조(개인정보의 파기)</h2>
<p>보유기간이 지난 개인정보는 지체 없이 파기하며, 전자적 파일은 복구할 수 없는 방법으로 지웁니다.</p>
<p>공고일자: 2024년 3월 1일 / 시행일자: 2024년 3월 8일</p>`

// cp949Extras are syllables outside KS X 1001 that CP949 adds, with their
// CP949 bytes (cross-checked against Python's cp949 codec, not x/text).
var cp949Extras = []struct {
	r     string
	bytes []byte
}{
	{"똠", []byte{0x8c, 0x63}},
	{"햏", []byte{0xc1, 0x64}},
	{"믜", []byte{0x92, 0xde}},
	{"쌰", []byte{0x9b, 0x58}},
	{"뷁", []byte{0x94, 0xee}},
	{"꽑", []byte{0x84, 0xa0}},
	{"쀍", []byte{0x97, 0xcd}},
	{"숖", []byte{0x99, 0xf6}},
}

// page wraps body in an HTML document; head goes inside <head>.
func page(head, body string) string {
	return "<!DOCTYPE html>\n<html lang=\"ko\"><head>" + head + "<title>개인정보 처리방침</title></head>\n<body>" + body + "</body></html>\n"
}

// toEUCKR encodes s, which must be encodable, as EUC-KR/CP949.
func toEUCKR(t testing.TB, s string) []byte {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode test input as EUC-KR: %v", err)
	}
	return b
}

// encodableEUCKR returns s with every rune EUC-KR cannot encode replaced:
// NBSP by a space, anything else (emoji, rare symbols) by '?'. It returns how
// many runes it replaced.
func encodableEUCKR(s string) (string, int) {
	enc := korean.EUCKR.NewEncoder()
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if _, err := enc.String(string(r)); err != nil {
			n++
			if r == '\u00a0' {
				r = ' '
			} else {
				r = '?'
			}
		}
		b.WriteRune(r)
	}
	return b.String(), n
}

func TestDecode(t *testing.T) {
	doc := page("", policyBody)
	eucDoc := func(head string) []byte { return toEUCKR(t, page(head, policyBody)) }
	longScript := "<script>var pad = '" + strings.Repeat("x", 3000) + "';</script>"
	utf8BOM := append([]byte{0xef, 0xbb, 0xbf}, doc...)
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	latin := []byte("<html><body><p>Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve r\xe9sum\xe9.</p></body></html>")

	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
		want        string
	}{
		{"utf-8 header", []byte(doc), "text/html; charset=UTF-8", "utf-8", doc},
		{"utf-8 unlabelled", []byte(doc), "text/html", "utf-8", doc},
		{"euc-kr header", eucDoc(""), "text/html; charset=EUC-KR", "euc-kr", doc},
		{"euc-kr header ks_c_5601-1987", eucDoc(""), "text/html; charset=ks_c_5601-1987", "euc-kr", doc},
		{"cp949 header alias", eucDoc(""), "text/html; charset=cp949", "euc-kr", doc},
		{"euc-kr header malformed params", eucDoc(""), "text/html; charset=euc-kr;;", "euc-kr", doc},
		{"meta charset only", eucDoc(`<meta charset="euc-kr">`), "text/html", "euc-kr", page(`<meta charset="euc-kr">`, policyBody)},
		{"meta http-equiv only", eucDoc(`<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">`), "",
			"euc-kr", page(`<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">`, policyBody)},
		{"meta after 1024 bytes", eucDoc(longScript + `<meta charset=euc-kr>`), "text/html", "euc-kr", page(longScript+`<meta charset=euc-kr>`, policyBody)},
		{"utf-8 header over euc-kr bytes with meta", eucDoc(`<meta charset="euc-kr">`), "text/html; charset=utf-8",
			"euc-kr", page(`<meta charset="euc-kr">`, policyBody)},
		{"utf-8 header over unlabelled euc-kr bytes", eucDoc(""), "text/html; charset=utf-8", "euc-kr", doc},
		{"euc-kr meta over utf-8 bytes", []byte(page(`<meta charset="euc-kr">`, policyBody)), "text/html",
			"utf-8", page(`<meta charset="euc-kr">`, policyBody)},
		{"latin meta over ascii", []byte(`<meta charset="iso-8859-1"><p>plain</p>`), "text/html", "windows-1252", `<meta charset="iso-8859-1"><p>plain</p>`},
		{"meta utf-16 means utf-8", []byte(`<meta charset="utf-16"><p>개인정보</p>`), "text/html", "utf-8", `<meta charset="utf-16"><p>개인정보</p>`},
		{"meta in body ignored", append([]byte("<html><body><p>x</p><meta charset=windows-1252>"), toEUCKR(t, "개인정보 처리방침")...), "text/html", "euc-kr", "<html><body><p>x</p><meta charset=windows-1252>개인정보 처리방침"},
		{"no label sniffed as euc-kr", eucDoc(""), "text/html", "euc-kr", doc},
		{"no content type sniffed as euc-kr", eucDoc(""), "", "euc-kr", doc},
		{"bom beats header", utf8BOM, "text/html; charset=euc-kr", "utf-8", doc},
		{"utf-16le bom", utf16, "text/html", "utf-16le", doc},
		{"latin-1 unlabelled", latin, "text/html", "windows-1252", "<html><body><p>Café crème brûlée, naïve résumé.</p></body></html>"},
		{"iso-8859-1 header", latin, "text/html; charset=iso-8859-1", "windows-1252", "<html><body><p>Café crème brûlée, naïve résumé.</p></body></html>"},
		{"plain euc-kr sniffed", toEUCKR(t, "# 개인정보 처리방침\n\n제1조 목적"), "text/plain", "euc-kr", "# 개인정보 처리방침\n\n제1조 목적"},
		{"markdown header charset", toEUCKR(t, "## 제2조 파기"), "text/markdown; charset=euc-kr", "euc-kr", "## 제2조 파기"},
		{"plain ignores meta", []byte(`<meta charset="windows-1252"> 개인정보`), "text/plain", "utf-8", `<meta charset="windows-1252"> 개인정보`},
		{"invalid bytes under euc-kr label", []byte("개\xff\xfe" + "a"), "text/html; charset=euc-kr", "euc-kr", "媛\uFFFD\uFFFDa"},
		{"invalid utf-8 under utf-8 label", []byte("ok\xc3(\xffend"), "text/plain; charset=utf-8", "utf-8", "ok\uFFFD(\uFFFDend"},
		{"empty", nil, "", "utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cs, err := Decode(tt.body, tt.contentType)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if cs != tt.wantCharset {
				t.Errorf("charset = %q, want %q", cs, tt.wantCharset)
			}
			if !utf8.ValidString(got) {
				t.Errorf("output is not valid UTF-8")
			}
			if got != tt.want {
				t.Errorf("text mismatch\n got: %.300q\nwant: %.300q", got, tt.want)
			}
		})
	}
}

// TestDecodeCP949Extensions proves that pages labelled euc-kr decode the
// syllables CP949 adds to EUC-KR, from bytes written independently of x/text.
func TestDecodeCP949Extensions(t *testing.T) {
	var raw []byte
	var want strings.Builder
	for _, x := range cp949Extras {
		raw = append(raw, x.bytes...)
		raw = append(raw, ' ')
		want.WriteString(x.r + " ")
		// The encoder must agree with the independent table too.
		if got := toEUCKR(t, x.r); !bytes.Equal(got, x.bytes) {
			t.Errorf("x/text encodes %s as % x, want % x", x.r, got, x.bytes)
		}
	}
	cases := map[string]struct {
		body []byte
		ct   string
	}{
		"header":     {raw, "text/html; charset=euc-kr"},
		"meta":       {append([]byte(`<meta charset="euc-kr"><p>`), raw...), "text/html"},
		"http-equiv": {append([]byte(`<meta http-equiv="content-type" content="text/html;charset=EUC-KR"><p>`), raw...), "text/html"},
		"sniffed":    {append(toEUCKR(t, "개인정보 처리방침 "), raw...), ""},
		"plain":      {raw, "text/plain"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, cs, err := Decode(c.body, c.ct)
			if err != nil {
				t.Fatal(err)
			}
			if cs != "euc-kr" {
				t.Errorf("charset = %q, want euc-kr", cs)
			}
			if !strings.HasSuffix(got, want.String()) {
				t.Errorf("got %q, want suffix %q", got, want.String())
			}
			if strings.ContainsRune(got, utf8.RuneError) {
				t.Errorf("replacement character in %q", got)
			}
		})
	}
}

// seedsDir is where the shared real policies live, relative to this package.
var seedsDir = filepath.Join("..", "..", "..", "shared", "seeds")

// readSeeds returns the seed policies by file name, or skips the test.
func readSeeds(t testing.TB) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if len(files) == 0 {
		t.Skipf("no seed policies in %s (../shared is not beside the repository)", seedsDir)
	}
	seeds := make(map[string]string, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds[filepath.Base(f)] = string(b)
	}
	return seeds
}

// TestDecodeSeedsEUCKR encodes each real seed policy as EUC-KR at test time
// and checks the round trip. Runes EUC-KR cannot encode (NBSP, emoji) are
// replaced before encoding, so the assertion is on encodable input only.
func TestDecodeSeedsEUCKR(t *testing.T) {
	for name, text := range readSeeds(t) {
		t.Run(name, func(t *testing.T) {
			src, replaced := encodableEUCKR(text)
			t.Logf("%d runes, %d replaced before encoding", utf8.RuneCountInString(text), replaced)
			enc := toEUCKR(t, src)
			for _, c := range []struct {
				name, ct string
				body     []byte
			}{
				{"header", "text/html; charset=euc-kr", enc},
				{"meta", "text/html", append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr"></head><body>`), enc...)},
				{"sniffed", "text/plain", enc},
			} {
				got, cs, err := Decode(c.body, c.ct)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if cs != "euc-kr" {
					t.Errorf("%s: charset = %q, want euc-kr", c.name, cs)
				}
				if !strings.HasSuffix(got, src) {
					t.Errorf("%s: round trip differs from the original", c.name)
				}
			}
			// The UTF-8 original is left untouched.
			got, cs, err := Decode([]byte(text), "text/html")
			if err != nil || cs != "utf-8" || got != text {
				t.Errorf("utf-8 seed: charset %q, err %v, equal %v", cs, err, got == text)
			}
		})
	}
}

func TestCharsetFromContent(t *testing.T) {
	tests := map[string]string{
		"text/html; charset=euc-kr":    "euc-kr",
		"text/html;charset='EUC-KR'":   "euc-kr",
		`text/html; charset = "utf-8"`: "utf-8",
		"text/html charset=ks_c_5601":  "ks_c_5601",
		"text/html; charsets":          "",
		"text/html; charset=":          "",
		"text/html":                    "",
	}
	for in, want := range tests {
		if got := charsetFromContent(in); got != want {
			t.Errorf("charsetFromContent(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(page(`<meta charset="euc-kr">`, "abc")), "text/html")
	f.Add(toEUCKR(f, page("", policyBody)), "")
	f.Add([]byte(policyBody), "text/html; charset=utf-8")
	f.Add([]byte{0xff, 0xfe, 0x41, 0x00, 0xd8}, "text/plain")
	f.Add([]byte{0x8c, 0x63, 0xc1}, "text/plain; charset=euc-kr")
	f.Add([]byte("<meta http-equiv=content-type content='charset=utf-16'>\x80"), "text/html; charset=bogus")
	f.Add([]byte("\xef\xbb\xbf\xff"), "text/markdown")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		text, cs, err := Decode(body, ct)
		if err != nil {
			t.Fatalf("Decode(%q, %q): %v", body, ct, err)
		}
		if !utf8.ValidString(text) {
			t.Fatalf("Decode(%q, %q) = %q: not valid UTF-8", body, ct, text)
		}
		if cs == "" {
			t.Fatalf("Decode(%q, %q): empty charset name", body, ct)
		}
		if cs == "utf-8" && utf8.Valid(body) && bomLength(body) == 0 && text != string(body) {
			t.Fatalf("valid UTF-8 body changed by decoding")
		}
	})
}

// A server-wide legacy default (AddDefaultCharset EUC-KR) over a page that
// is UTF-8: the valid non-ASCII UTF-8 body wins over the header label.
func TestDecodeLegacyHeaderOverUTF8Body(t *testing.T) {
	body := []byte(`<html><head><meta charset="utf-8"></head><body>개인정보 처리방침 제1조 개인정보의 처리 목적</body></html>`)
	text, cs, err := Decode(body, "text/html; charset=euc-kr")
	if err != nil || cs != "utf-8" || !strings.Contains(text, "개인정보 처리방침 제1조") {
		t.Fatalf("charset %q, err %v, text %q", cs, err, text)
	}
	// A real EUC-KR body under the same header still decodes as EUC-KR.
	euc, err := korean.EUCKR.NewEncoder().Bytes(body)
	if err != nil {
		t.Fatal(err)
	}
	text, cs, err = Decode(euc, "text/html; charset=euc-kr")
	if err != nil || cs != "euc-kr" || !strings.Contains(text, "개인정보 처리방침 제1조") {
		t.Fatalf("EUC-KR body: charset %q, err %v", cs, err)
	}
}
