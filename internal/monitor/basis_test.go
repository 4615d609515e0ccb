package monitor

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/monitord/monitord/internal/notice"
)

// wantBasis is the basis each rule must carry when no notice board is known
// (the corpus has none): design.md, "Notice evidence" and "Details".
var wantBasis = map[string]string{
	notice.RuleShortNotice:   notice.BasisPage,
	notice.RuleUndatedChange: notice.BasisObserved,
	notice.RuleRetroactive:   notice.BasisObserved,
	notice.RuleLateNotice:    notice.BasisUnconfirmed,
}

// basisTally counts the verdicts of the corpus replay by rule and basis.
var basisTally = struct {
	sync.Mutex
	n map[string]int
}{n: map[string]int{}}

// checkBasis fails unless every violation names the basis its rule must have
// without a board, with evidence that has a time, a URL and a stored page's
// SHA-256 behind every page quote; it tallies the bases.
func checkBasis(t *testing.T, file string, vs []notice.Violation) {
	t.Helper()
	for _, v := range vs {
		if v.Basis != wantBasis[v.Rule] {
			t.Errorf("%s: %s has basis %q, want %q", file, v.Rule, v.Basis, wantBasis[v.Rule])
		}
		if len(v.Evidence) == 0 {
			t.Errorf("%s: %s has no evidence", file, v.Rule)
		}
		for _, e := range v.Evidence {
			if e.At.IsZero() || e.URL == "" {
				t.Errorf("%s: %s evidence %s lacks its time or URL: %+v", file, v.Rule, e.Kind, e)
			}
			if e.Kind == notice.EvidencePageDates && (len(e.SHA256) != 64 || e.Text == "") {
				t.Errorf("%s: %s page_dates evidence lacks the page's SHA-256 or the quoted line: %+v", file, v.Rule, e)
			}
		}
		basisTally.Lock()
		basisTally.n[v.Basis]++
		basisTally.n[v.Rule+"/"+v.Basis]++
		basisTally.Unlock()
	}
}

func basisReport() string {
	basisTally.Lock()
	defer basisTally.Unlock()
	var keys []string
	for k := range basisTally.n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, basisTally.n[k]))
	}
	return strings.Join(parts, " ")
}
