package render

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// acceptPolicy is a small stand-in for the monitor's test in this
// package's unit tests: long enough and naming policy words.
func acceptPolicy(s string) error {
	if utf8.RuneCountInString(s) < 200 {
		return errors.New("short")
	}
	n := 0
	for _, w := range []string{"개인정보", "수집", "보유", "파기", "제3자"} {
		if strings.Contains(s, w) {
			n++
		}
	}
	if n < 3 {
		return errors.New("no policy words")
	}
	return nil
}

func TestAnalyzeFrames(t *testing.T) {
	a := Analyze("https://shop.example.kr/info/privacy", `<html><body>
<iframe src="https://ads.example.net/banner"></iframe>
<iframe src="javascript:void(0)"></iframe>
<iframe src="/terms/privacy_2024.html" title="개인정보처리방침"></iframe>
<frame src="about:blank">
</body></html>`)
	want := []string{"https://shop.example.kr/terms/privacy_2024.html", "https://ads.example.net/banner"}
	if strings.Join(a.Frames, " ") != strings.Join(want, " ") {
		t.Fatalf("frames = %q, want %q (policy-like first, no javascript: or about:)", a.Frames, want)
	}
	if a.NeedsScript() {
		t.Fatalf("a page without scripts is not an app: %v", a.Shell)
	}
}

func TestAnalyzeShellSigns(t *testing.T) {
	cases := map[string]struct {
		page string
		want []string
	}{
		"react": {`<html><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div><script src="/main.js"></script></body></html>`,
			[]string{"empty #root", "noscript", "scripts only"}},
		"next": {`<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{"props":{}}</script></body></html>`,
			[]string{"__NEXT_DATA__", "empty #__next", "scripts only", "json"}},
		"static with analytics": {`<html><body><h1>개인정보처리방침</h1><p>` + strings.Repeat("회사는 개인정보를 수집합니다. ", 20) + `</p><script src="https://www.googletagmanager.com/gtag.js"></script></body></html>`,
			nil},
	}
	for name, c := range cases {
		a := Analyze("https://x.example.kr/p", c.page)
		if strings.Join(a.Shell, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: signs %q, want %q", name, a.Shell, c.want)
		}
	}
}

func TestAnalyzeAssets(t *testing.T) {
	a := Analyze("https://x.example.kr/p", `<html><head><link rel="stylesheet" href="https://cdn.example.com/a.css"><link rel="canonical" href="https://other.example/p">
<script src="https://static.example.kr/app.js"></script></head><body><img src="//img.example.net/logo.png"></body></html>`)
	if got := strings.Join(a.Assets, " "); got != "cdn.example.com static.example.kr img.example.net" {
		t.Fatalf("assets = %q (a canonical link is not an asset)", got)
	}
}

func TestAssignedJSON(t *testing.T) {
	for script, want := range map[string]string{
		`window.__INITIAL_STATE__ = {"a":[1,2,{"b":"c"}]}; boot();`: `{"a":[1,2,{"b":"c"}]}`,
		`if (a == {}) {} var x = [1, "]"];`:                         `[1, "]"]`,
		`var n = 1; var s = "x";`:                                   ``,
		`=`:                                                         ``,
		`x = {broken`:                                               ``,
	} {
		if got := string(assignedJSON(script)); got != want {
			t.Errorf("assignedJSON(%q) = %q, want %q", script, got, want)
		}
	}
}

func TestDataTextChoosesThePolicy(t *testing.T) {
	data := `{"nav":["홈","고객센터"],"buildId":"x1y2",
"page":{"policy":{"content":"<h2>제1조 개인정보의 수집</h2><p>회사는 이름과 연락처를 수집합니다. ` + strings.Repeat("수집한 개인정보는 목적을 달성하면 파기하며 보유 기간은 3년입니다. ", 6) + `</p><h2>제2조 제3자 제공</h2><p>동의 없이 제3자에게 제공하지 않습니다.</p>","updatedAt":"2024-02-21T00:00:00Z"}}}`
	text := DataText([]byte(data), acceptPolicy)
	if !strings.Contains(text, "# 제1조 개인정보의 수집") || !strings.Contains(text, "제3자에게 제공하지 않습니다") {
		t.Fatalf("text:\n%s", text)
	}
	if strings.Contains(text, "고객센터") || strings.Contains(text, "x1y2") || strings.Contains(text, "2024-02-21T") {
		t.Fatalf("text holds the app's other data:\n%s", text)
	}
	if DataText([]byte(`{"nav":["홈"],"title":"개인정보처리방침"}`), acceptPolicy) != "" {
		t.Fatal("data without the policy gave a text")
	}
	if DataText([]byte(`{"a": [1, 2`), acceptPolicy) != "" {
		t.Fatal("broken JSON gave a text")
	}
}

func FuzzDataText(f *testing.F) {
	f.Add([]byte(`{"a":{"title":"제1조","body":"개인정보 수집 보유 파기"}}`))
	f.Add([]byte(`[[[[[[]]]]]]`))
	f.Add([]byte(`{"x":"<p>개인정보</p>"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		text := DataText(data, func(string) error { return nil })
		if !utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8 from %q", data)
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	f.Add(`<iframe src="/p"></iframe><script>window.x = {"a":1}</script><div id="root"></div>`)
	f.Add(`<base href="//evil"><frame src="%zz">`)
	f.Fuzz(func(t *testing.T, page string) {
		a := Analyze("https://x.example.kr/p", page)
		if len(a.Frames) > maxFrames {
			t.Fatalf("%d frames", len(a.Frames))
		}
		for _, u := range a.Frames {
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				t.Fatalf("frame %q is not http(s)", u)
			}
		}
	})
}
