package policy

import (
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/extract"
)

// TestPastVersionsAreHistory: dates of earlier versions a page mentions
// (a select of versions, 종전/과거 wording, a version list, older 부칙) go to
// History and never become the current 시행일자.
func TestPastVersionsAreHistory(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		html      bool // run text through the HTML extractor first, as the daemon does
		effective string
		announced string   // checked when set
		line      int      // of the effective date in the extracted text
		history   []string // From dates, in order
	}{
		{
			name: "select of versions after the current sentence",
			text: `<html><body><div id="policy">
<h2>개인정보 처리방침</h2>
<h3>제1조 (개인정보의 처리 목적)</h3>
<p>회원 관리를 위해 개인정보를 처리합니다.</p>
<h3>제9조 (개인정보 처리방침의 변경)</h3>
<p>이 개인정보 처리방침은 2024년 3월 1일부터 시행됩니다.</p>
<select><option>2024. 3. 1 시행</option><option>2023. 1. 1 시행</option><option>2022. 6. 1 시행</option></select>
</div></body></html>`,
			html:      true,
			effective: "2024-03-01",
			history:   []string{"2024-03-01", "2023-01-01", "2022-06-01"},
		},
		{
			name:      "version lines as plain text",
			text:      "1. 개인정보 처리방침의 변경\n이 방침은 2024년 3월 1일부터 시행됩니다.\n2024. 3. 1 시행\n2023. 1. 1 시행\n2022. 6. 1 시행",
			effective: "2024-03-01", line: 2,
			history: []string{"2024-03-01", "2023-01-01", "2022-06-01"},
		},
		{
			name:      "종전 in the same sentence",
			text:      "제1조 (목적)\n회원 관리를 위해 처리합니다.\n제9조 (개인정보 처리방침의 변경)\n이 개인정보 처리방침은 2024년 3월 1일부터 시행됩니다.\n종전의 개인정보 처리방침(2023년 1월 1일 시행)은 홈페이지에서 볼 수 있습니다.",
			effective: "2024-03-01", line: 4,
			history: []string{"2023-01-01"},
		},
		{
			name:      "기존 and 직전 versions",
			text:      "1. 개인정보 처리방침의 변경\n이 방침은 2024.03.01부터 시행합니다.\n기존 방침은 2023.01.01부터 시행되었습니다.\n직전 버전: 2022.06.01 시행",
			effective: "2024-03-01", line: 2,
			history: []string{"2023-01-01", "2022-06-01"},
		},
		{
			name:      "과거 방침 list",
			text:      "제1조 (목적)\n회원 관리를 위해 처리합니다.\n제9조 (개인정보 처리방침의 변경)\n이 개인정보 처리방침은 2024년 3월 1일부터 적용됩니다.\n과거 개인정보 처리방침 보기\n- 2023년 1월 1일 적용\n- 2022년 6월 1일 적용",
			effective: "2024-03-01", line: 4,
			history: []string{"2023-01-01", "2022-06-01"},
		},
		{
			// The top label and the newest 부칙 agree; "(시행일)" labels the
			// 부칙 date too, so the last current occurrence, line 6, wins.
			name:      "stacked 부칙 newest first under a top label",
			text:      "개인정보 처리방침\n시행일자: 2024년 3월 1일\n제1조 (목적)\n회원 관리를 위해 처리합니다.\n부칙\n제1조(시행일) 이 방침은 2024년 3월 1일부터 시행한다.\n부칙 (2023. 1. 1.)\n제1조(시행일) 이 방침은 2023년 1월 1일부터 시행한다.",
			effective: "2024-03-01", line: 6,
			history: []string{"2023-01-01"},
		},
		{
			name:      "stacked 부칙 newest first without a label",
			text:      "제1조 (목적)\n회원 관리를 위해 처리합니다.\n부칙\n이 방침은 2024년 3월 1일부터 시행한다.\n부칙 (2023. 1. 1.)\n이 방침은 2023년 1월 1일부터 시행한다.\n부칙 (2022. 6. 1.)\n이 방침은 2022년 6월 1일부터 시행한다.",
			effective: "2024-03-01", line: 4,
			history: []string{"2023-01-01", "2022-06-01"},
		},
		{
			name:      "stacked 부칙 oldest first",
			text:      "제1조 (목적)\n회원 관리를 위해 처리합니다.\n부칙 (2022. 6. 1.)\n이 방침은 2022년 6월 1일부터 시행한다.\n부칙 (2024. 3. 1.)\n이 방침은 2024년 3월 1일부터 시행한다.",
			effective: "2024-03-01", line: 6,
			history: []string{"2022-06-01"},
		},
		{
			name:      "marker after the current date",
			text:      "1. 개인정보 처리방침의 변경\n이 방침은 2024.03.01부터 시행하며, 종전 방침은 폐지합니다.\n공고일자: 2024.02.20",
			effective: "2024-03-01", line: 2, announced: "2024-02-20",
		},
		{
			name:      "past word without a policy noun",
			text:      "1. 개인정보 처리방침의 변경\n기존 회원에게도 2024.03.01부터 적용합니다.",
			effective: "2024-03-01", line: 2,
		},
		{
			name:      "past sentence does not reach the next sentence",
			text:      "1. 개인정보 처리방침의 변경\n종전 방침은 2023.01.01부터 시행되었습니다. 이 방침은 2024.03.01부터 시행합니다.",
			effective: "2024-03-01", line: 2,
			history: []string{"2023-01-01"},
		},
		{
			// One dated line is not a version list: the last occurrence rule holds.
			name:      "single date line is not history",
			text:      "1. 개인정보 처리방침의 변경\n2024. 3. 1 시행",
			effective: "2024-03-01", line: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if tt.html {
				var err error
				if text, err = extract.HTML(text, extract.Rules{}); err != nil {
					t.Fatalf("extract: %v", err)
				}
			}
			doc := Parse(text)
			checkDate(t, "effective", doc.Effective, tt.effective)
			if tt.announced != "" {
				checkDate(t, "announced", doc.Announced, tt.announced)
			}
			if tt.line > 0 && doc.Effective != nil && doc.Effective.Line != tt.line {
				t.Errorf("effective from line %d (%q), want %d", doc.Effective.Line, doc.Effective.Text, tt.line)
			}
			var got []string
			for _, h := range doc.History {
				got = append(got, h.From.String())
			}
			if strings.Join(got, ",") != strings.Join(tt.history, ",") {
				t.Errorf("history = %v, want %v", got, tt.history)
			}
		})
	}
}

func TestVersionLineAndAnnexHeader(t *testing.T) {
	for line, want := range map[string]bool{
		"2023. 1. 1 시행":              true,
		"- 2022년 6월 1일 적용":           true,
		"· 2021.05.01 개정":            true,
		"(2020-01-01 제정)":            true,
		"시행일자: 2024.03.01":           false,
		"2024.03.01":                 false,
		"2023.01.01 ~ 2023.12.31 시행": false,
		"이 방침은 2024.03.01부터 시행합니다.":  false,
	} {
		if got := versionLine(line); got != want {
			t.Errorf("versionLine(%q) = %v, want %v", line, got, want)
		}
	}
	for line, want := range map[string]bool{
		"부칙":               true,
		"부 칙":              true,
		"부칙 (2023. 1. 1.)": true,
		"<부칙 제2호>":         true,
		"**부칙**":           true,
		"부칙에 따라 처리합니다.":    false,
		"부칙은 아래와 같습니다":     false,
		"제1조(시행일) 이 방침은 …": false,
	} {
		if got := annexHeader(line); got != want {
			t.Errorf("annexHeader(%q) = %v, want %v", line, got, want)
		}
	}
}
