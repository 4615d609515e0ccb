package i18n

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Lang is a language of human text.
type Lang string

// The languages of the catalogue.
const (
	Korean  Lang = "ko"
	English Lang = "en"
)

// Parse reads a language setting: "en" (any case, spaces ignored) is
// English; anything else is Korean, the default for Korean policies.
func Parse(s string) Lang {
	if strings.EqualFold(strings.TrimSpace(s), string(English)) {
		return English
	}
	return Korean
}

// Message is one entry of the catalogue: a fmt format in each language.
type Message struct {
	KO, EN string
}

var (
	mu        sync.RWMutex
	catalogue = map[string]Message{}
)

// register adds an area's messages; a key registered twice is a programming
// error and panics at start-up (every msg_*.go file registers in init).
func register(msgs map[string]Message) {
	mu.Lock()
	defer mu.Unlock()
	for k, m := range msgs {
		if _, dup := catalogue[k]; dup {
			panic("i18n: message " + k + " registered twice")
		}
		catalogue[k] = m
	}
}

// T renders the message key in language l with args (fmt verbs). An unknown
// key renders as "!key" so that a missing message is visible, never blank;
// TestKeysUsedExist keeps that from shipping.
func (l Lang) T(key string, args ...any) string {
	mu.RLock()
	m, ok := catalogue[key]
	mu.RUnlock()
	if !ok {
		return "!" + key
	}
	f := m.KO
	if l == English {
		f = m.EN
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(strings.ReplaceAll(f, "%w", "%v"), args...)
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := catalogue[key]
	return ok
}

// Keys lists every key of the catalogue, sorted.
func Keys() []string {
	mu.RLock()
	defer mu.RUnlock()
	keys := make([]string, 0, len(catalogue))
	for k := range catalogue {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns the entry of key.
func Lookup(key string) (Message, bool) {
	mu.RLock()
	defer mu.RUnlock()
	m, ok := catalogue[key]
	return m, ok
}
