package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// verbs lists the fmt verbs of a format in order ("%%" is not a verb).
var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

func verbs(f string) []string {
	var out []string
	for _, v := range verbRE.FindAllString(f, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

func TestCatalogueComplete(t *testing.T) {
	keys := Keys()
	if len(keys) == 0 {
		t.Fatal("the catalogue is empty")
	}
	for _, k := range keys {
		m, _ := Lookup(k)
		if strings.TrimSpace(m.KO) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%s: both languages are required (ko=%q en=%q)", k, m.KO, m.EN)
			continue
		}
		if ko, en := verbs(m.KO), verbs(m.EN); strings.Join(ko, " ") != strings.Join(en, " ") {
			t.Errorf("%s: Korean takes %v, English %v: the same verbs in the same order are required", k, ko, en)
		}
	}
}

func TestT(t *testing.T) {
	if got := Korean.T("days", 7); got != "7일" {
		t.Errorf("Korean days = %q", got)
	}
	if got := English.T("days", 30); got != "30 days" {
		t.Errorf("English days = %q", got)
	}
	unknown := "no.such.key"
	if got := Korean.T(unknown); got != "!no.such.key" {
		t.Errorf("unknown key = %q, want it marked", got)
	}
	if Parse(" EN ") != English || Parse("ko") != Korean || Parse("") != Korean {
		t.Error("Parse does not read language settings")
	}
}

// keyUse finds literal keys passed to T in the repository's Go files.
var keyUse = regexp.MustCompile(`\.T\("([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)

// TestKeysUsedExist reads every Go file of the module and checks that each
// literal key given to T is in the catalogue.
func TestKeysUsedExist(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
			if !Has(m[1]) {
				t.Errorf("%s: key %q is not in the catalogue", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
