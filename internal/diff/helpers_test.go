package diff

import (
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// checkApply asserts that applying c to old gives new's sections, up to
// cosmetic differences and the dates on date lines.
func checkApply(t testing.TB, old, new *policy.Document, c *Change) {
	t.Helper()
	got, err := c.Apply(old)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	want := Texts(new)
	if len(got) != len(want) {
		t.Fatalf("apply gave %d sections, want %d", len(got), len(want))
	}
	z := tokenizer{mode: maskAll}
	for i := range want {
		if titleKey(got[i].Title) != titleKey(want[i].Title) {
			t.Errorf("section %d: title %q, want %q", i, got[i].Title, want[i].Title)
		}
		if !equivalent(z, got[i].Body, want[i].Body) {
			t.Errorf("section %d (%s): body after apply\n%s\nwant\n%s", i, want[i].Title, got[i].Body, want[i].Body)
		}
	}
}
