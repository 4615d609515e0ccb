package diffview_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/diffview"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/policy"
)

const oldText = `주식회사 예시 개인정보 처리방침
공고일자: 2026-10-01
시행일자: 2026-10-08

제1조 (개인정보의 처리 목적)
회사는 회원 관리를 위하여 개인정보를 처리합니다.

제2조 (개인정보의 보유 및 이용기간)
회원 탈퇴 후 1년 동안 보관합니다.

제3조 (삭제될 조항)
이 조항은 다음 판에서 사라집니다.

제4조 (개인정보 처리방침의 변경)
시행 7일 전부터 알립니다.
`

const newText = `주식회사 예시 개인정보 처리방침
공고일자: 2026-11-01
시행일자: 2026-11-03

제1조 (개인정보의 처리 목적)
회사는 회원 관리를 위하여 개인정보를 처리합니다.

제2조 (개인정보의 보유 및 이용기간)
회원 탈퇴 후 3년 동안 보관합니다. <script>alert(1)</script> "><img src=x onerror=alert(2)> {{.Secret}}

제3조 (개인정보의 제3자 제공)
회사는 별빛보험에 이름을 제공합니다.

제4조 (개인정보 처리방침의 변경)
시행 7일 전부터 알립니다.
`

func render(t *testing.T, v *diffview.View) string {
	t.Helper()
	tm, err := diffview.AddTo(template.New("page"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tm.ExecuteTemplate(&b, "diffview", v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestBuildSideBySide(t *testing.T) {
	od, nd := policy.Parse(oldText), policy.Parse(newText)
	c := diff.Compare(od, nd, diff.Options{})
	v := diffview.Build(od, nd, c, i18n.Korean, diffview.Columns{Old: "이전 (v1)", New: "이후 (v2)"})

	kinds := map[string]int{}
	for _, s := range v.Sections {
		kinds[s.Kind]++
	}
	if kinds[diffview.KindUnchanged] < 2 || kinds[diff.KindModified] != 1 || kinds[diff.KindAdded] != 1 || kinds[diff.KindRemoved] != 1 {
		t.Errorf("section kinds = %v, want 2+ unchanged, one modified, added and removed", kinds)
	}
	// The page order: 제1조 unchanged first, 변경 unchanged last.
	if first, last := v.Sections[1], v.Sections[len(v.Sections)-1]; !strings.Contains(first.Title, "처리 목적") || !strings.Contains(last.Title, "변경") {
		t.Errorf("order: second %q, last %q", first.Title, last.Title)
	}
	var mod diffview.Section
	for _, s := range v.Sections {
		if s.Kind == diff.KindModified {
			mod = s
		}
	}
	var del, ins []string
	for _, g := range mod.Old {
		if g.Kind == diff.SegmentDelete {
			del = append(del, g.Text)
		}
	}
	for _, g := range mod.New {
		if g.Kind == diff.SegmentInsert {
			ins = append(ins, g.Text)
		}
	}
	if !strings.Contains(strings.Join(del, "|"), "1년") || !strings.Contains(strings.Join(ins, "|"), "3년") {
		t.Errorf("modified section: deleted %q, inserted %q; want 1년 → 3년", del, ins)
	}
	if len(v.Dates) != 2 || v.Dates[0].Old != "2026-10-01" || v.Dates[0].New != "2026-11-01" {
		t.Errorf("dates = %+v", v.Dates)
	}

	out := render(t, v)
	for _, bad := range []string{"<script>", "<img", "\"><img"} {
		if strings.Contains(out, bad) {
			t.Errorf("rendered view holds %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "{{.Secret}}", "<ins>3년</ins>", "<del>1년</del>", "<details class=\"dv-section dv-unchanged\"", "공고일자", "<del>2026-10-01</del>"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered view lacks %q:\n%s", want, out)
		}
	}
}

func TestBuildSameVersion(t *testing.T) {
	d := policy.Parse(oldText)
	c := diff.Compare(d, d, diff.Options{})
	v := diffview.Build(d, d, c, i18n.English, diffview.Columns{})
	if v.Changed != 0 || v.Unchanged != len(d.Sections) {
		t.Errorf("same text: changed %d, unchanged %d of %d", v.Changed, v.Unchanged, len(d.Sections))
	}
	if out := render(t, v); !strings.Contains(out, "No change in substance") {
		t.Errorf("same text renders without saying so:\n%s", out)
	}
}

func TestCSS(t *testing.T) {
	if !bytes.Contains(diffview.CSS(), []byte(".dv del")) {
		t.Error("stylesheet lacks the marks")
	}
}
