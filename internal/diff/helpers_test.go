package diff

import (
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// checkApply asserts that applying c to old gives new's sections, up to
// cosmetic differences and the dates on date lines. Sections that only
// re-broke their lines are not changes (see rewrapped): where the sections
// differ, applying must still give the new document's words in order.
func checkApply(t testing.TB, old, new *policy.Document, c *Change) {
	t.Helper()
	got, err := c.Apply(old)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	want := Texts(new)
	z := tokenizer{mode: maskAll}
	if sameSections(z, got, want) {
		return
	}
	if !equivalent(z, joinTexts(got), joinTexts(want)) {
		t.Fatalf("apply gave %d sections whose words differ from the new document's %d\n%s\nwant\n%s",
			len(got), len(want), joinTexts(got), joinTexts(want))
	}
}

// sameSections reports whether got and want have the same sections: titles
// by key, bodies by their tokens.
func sameSections(z tokenizer, got, want []Text) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if titleKey(got[i].Title) != titleKey(want[i].Title) || !equivalent(z, got[i].Body, want[i].Body) {
			return false
		}
	}
	return true
}

// joinTexts is the sections' titles and bodies as one text, a line each.
func joinTexts(ts []Text) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.Title)
		b.WriteByte('\n')
		b.WriteString(t.Body)
		b.WriteByte('\n')
	}
	return b.String()
}
