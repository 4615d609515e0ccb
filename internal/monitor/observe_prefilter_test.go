package monitor

import (
	"strings"
	"testing"
)

// One text per alternative of errorTraceRE, in its order, in the case a
// server prints it.
var errorTraceSamples = []string{
	"Fatal error: Uncaught Exception: boom in /var/www/index.php:12",
	"Warning: mysql_connect() in /var/www/db.php on line 4",
	"    at com.shop.PolicyController.show(PolicyController.java:88)",
	"java.lang.NullPointerException",
	"Traceback (most recent call last):",
	"Server Error in '/' Application.",
	"SQLSTATE[HY000] [2002] Connection refused",
	"You have an error in your SQL syntax; check the manual",
	"ORA-00942: table or view does not exist",
	"Microsoft OLE DB Provider for ODBC Drivers error '80004005'",
	"Whitelabel Error Page",
	"HTTP Status 500 – Internal Server Error",
	"Stack trace:",
}

func TestErrorTracePrefilter(t *testing.T) {
	if len(errorTraceSamples) != len(errorTraceNeeds) {
		t.Fatalf("%d samples for %d alternatives", len(errorTraceSamples), len(errorTraceNeeds))
	}
	policy := "제1조 (개인정보의 처리 목적) 회사는 회원 관리를 위하여 개인정보를 처리합니다.\nError reports are kept for 3 months.\n"
	for i, s := range errorTraceSamples {
		text := policy + s + "\n" + policy
		if errorTrace(text) == "" {
			t.Errorf("alternative %d: %q not found", i+1, s)
		}
		// The sample matches its alternative only: every other
		// alternative's needs are not all met by it.
		if !errorTraceRE.MatchString(s) || !mayHaveErrorTrace(s) {
			t.Errorf("alternative %d: regexp %v, prefilter %v", i+1, errorTraceRE.MatchString(s), mayHaveErrorTrace(s))
		}
	}
	if mayHaveErrorTrace(strings.Repeat(policy, 100)) {
		t.Error("an ordinary policy text goes to the regular expression")
	}
	// Capital ASCII letters, K among them, are ordinary too: only the
	// Kelvin sign U+212A folds onto k.
	if kisa := "개인정보침해신고센터(KISA, privacy.kisa.or.kr) 국번 없이 118\nOK Cashbag 제휴 시 제공합니다.\n"; mayHaveErrorTrace(strings.Repeat(kisa, 50)) {
		t.Error("a policy text with capital ASCII letters goes to the regular expression")
	}
	if !mayHaveErrorTrace("ORA-00942 table \u212a") {
		t.Error("a text with a Kelvin sign skips the regular expression")
	}
	// Letters (?i) folds onto ASCII: "ORA" with a Kelvin sign is not an
	// issue, but a long s in "SQLſTATE" is matched by the expression.
	if errorTraceRE.MatchString("SQLſTATE[HY000]") && errorTrace("SQLſTATE[HY000]") == "" {
		t.Error("prefilter hides a match spelled with U+017F")
	}
}

// FuzzErrorTracePrefilter: whenever errorTraceRE matches, the prefilter
// lets the text through, so errorTrace answers as the expression alone.
func FuzzErrorTracePrefilter(f *testing.F) {
	for _, s := range errorTraceSamples {
		f.Add(s)
		f.Add(strings.ToUpper(s))
		f.Add("개인정보\n" + strings.ReplaceAll(s, " ", "\n "))
	}
	f.Add("at x.y(Z.KT:1)")
	f.Add("\u212a")
	f.Fuzz(func(t *testing.T, s string) {
		if errorTraceRE.MatchString(s) && !mayHaveErrorTrace(s) {
			t.Fatalf("errorTraceRE matches %q but the prefilter refuses it", s)
		}
	})
}

// FuzzTagFoldFromEnd: looking for a tag from the end finds it exactly when
// looking from the start does.
func FuzzTagFoldFromEnd(f *testing.F) {
	for _, s := range []string{"<html><body>x</body></html>", "</BODY >", "<p></bod", "</body", "a</body\n", "</html/><</"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tag := range []string{"</body", "</html", "<html"} {
			if a, b := hasTagFold([]byte(s), tag), hasTagFoldFromEnd([]byte(s), tag); a != b {
				t.Fatalf("%q in %q: from the start %v, from the end %v", tag, s, a, b)
			}
		}
	})
}

// FuzzContainsOnLine: containsOnLine is strings.Contains(s, " on line ").
func FuzzContainsOnLine(f *testing.F) {
	for _, s := range []string{"", " on line ", "on line 4", "x on line 4", "xon line  on line ", "on line on line ", " on lin", "줄 on line 7", "\u00a0on line 3", "  on line "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := containsOnLine(s), strings.Contains(s, " on line "); got != want {
			t.Fatalf("containsOnLine(%q) = %v, want %v", s, got, want)
		}
	})
}
