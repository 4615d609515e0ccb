package diff

import (
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// TestLineBreaksOnlyAreCosmetic: the same text with its lines broken
// elsewhere (a paragraph re-wrapped, split in two or joined, blank lines
// added or taken away, a short title line merged into the paragraph under
// it) changes no section, in documents with headings, with title lines and
// with none; a real edit next to a re-wrap is reported, and only it.
func TestLineBreaksOnlyAreCosmetic(t *testing.T) {
	const (
		plainA  = "푸른숲 캠핑장 개인정보 처리방침\n캠핑장은 예약 확인과 안전 관리를 위하여 이름과 연락처를 수집합니다. 수집한 정보는 예약 목적 외에는 이용하지 않습니다.\n예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다.\n문의는 관리사무소로 연락하여 주시기 바랍니다."
		titledA = "푸른숲 캠핑장 개인정보 처리방침\n수집 항목\n캠핑장은 예약 확인과 안전 관리를 위하여 이름과 연락처를 수집하며 다른 정보는 받지 않습니다.\n보유 기간\n예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다."
	)
	tests := []struct {
		name, old, new string
		want           []string // kind title of the reported sections
	}{
		{"paragraph split in two", plainA,
			"푸른숲 캠핑장 개인정보 처리방침\n캠핑장은 예약 확인과 안전 관리를 위하여 이름과 연락처를 수집합니다.\n수집한 정보는 예약 목적 외에는 이용하지 않습니다.\n예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다.\n문의는 관리사무소로 연락하여 주시기 바랍니다.", nil},
		{"paragraphs joined", plainA,
			"푸른숲 캠핑장 개인정보 처리방침\n캠핑장은 예약 확인과 안전 관리를 위하여 이름과 연락처를 수집합니다. 수집한 정보는 예약 목적 외에는 이용하지 않습니다. 예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다.\n문의는 관리사무소로 연락하여 주시기 바랍니다.", nil},
		{"re-wrapped mid-sentence with blank lines", plainA,
			"푸른숲 캠핑장 개인정보 처리방침\n\n캠핑장은 예약 확인과 안전 관리를 위하여\n이름과 연락처를 수집합니다. 수집한 정보는 예약 목적 외에는\n이용하지 않습니다.\n\n\n예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다.\n\n문의는 관리사무소로 연락하여 주시기 바랍니다.", nil},
		{"title lines re-wrapped", titledA,
			"푸른숲 캠핑장 개인정보 처리방침\n수집 항목\n캠핑장은 예약 확인과 안전 관리를 위하여\n이름과 연락처를 수집하며 다른 정보는 받지 않습니다.\n보유 기간\n예약 정보는 이용일로부터 1년간 보관한 뒤\n지체 없이 파기합니다.", nil},
		{"a split and a real edit elsewhere", plainA,
			"푸른숲 캠핑장 개인정보 처리방침\n캠핑장은 예약 확인과 안전 관리를 위하여 이름과 연락처를 수집합니다.\n수집한 정보는 예약 목적 외에는 이용하지 않습니다.\n예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다.\n문의는 관리사무소 또는 누리집 게시판으로 연락하여 주시기 바랍니다.",
			[]string{"modified "}},
		{"a re-wrap that also changes a word", plainA,
			"푸른숲 캠핑장 개인정보 처리방침\n캠핑장은 예약 확인과 안전 관리를 위하여 이름과 연락처를 수집합니다.\n수집한 정보는 예약 목적 외에도 이용할 수 있습니다.\n예약 정보는 이용일로부터 1년간 보관한 뒤 지체 없이 파기합니다.\n문의는 관리사무소로 연락하여 주시기 바랍니다.",
			[]string{"modified ", "added "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(policy.Parse(tt.old), policy.Parse(tt.new), Options{})
			var got []string
			for _, s := range c.Sections {
				got = append(got, s.Kind+" "+s.NewTitle)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("sections %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("sections %q, want %q", got, tt.want)
				}
			}
			if tt.want == nil && !c.Empty() {
				t.Errorf("change %+v, want none", c)
			}
		})
	}
}
