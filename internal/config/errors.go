package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Error is one problem in a configuration file. Parse, Load and Validate
// return every problem found, each an *Error, joined with errors.Join; use
// errors.As on a single problem or range over Unwrap() []error for all.
type Error struct {
	// File is the configuration file's name.
	File string
	// Line is the 1-based line of the key; 0 when unknown.
	Line int
	// Section names the [[target]] or [[webhook]] table the key is in, e.g.
	// `target[2] "naver"`; empty for other keys.
	Section string
	// Key is the TOML key: "schedule" inside a section, "notice.days" outside.
	Key string
	// Err says what is wrong and what would be valid.
	Err error
}

// Error formats the problem as `file:line: section: key: what is wrong`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Section != "" {
		b.WriteString(e.Section)
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// source maps TOML key paths to the lines they were written on. Paths are
// dotted with 0-based indexes for arrays of tables: "notice.days",
// "target.1.schedule", "target.1" (the [[target]] header), "target.1.exclude.0".
type source struct {
	lines   map[string]int
	byLine  map[int][]string // paths written on each line
	headers []header         // table headers in file order
}

type header struct {
	line int
	path string
}

// guessKey names the key on a line the parser could not read: the text left
// of "=" under the last table header before it. It returns nil when the line
// holds no key.
func (s *source) guessKey(data []byte, line int) []string {
	if line < 1 {
		return nil
	}
	lines := bytes.Split(data, []byte("\n"))
	if line > len(lines) {
		return nil
	}
	k, _, ok := bytes.Cut(lines[line-1], []byte("="))
	key := strings.Trim(strings.TrimSpace(string(k)), `"'`)
	if !ok || key == "" || strings.HasPrefix(key, "[") || strings.HasPrefix(key, "#") {
		return nil
	}
	var parts []string
	for _, h := range s.headers {
		if h.line < line {
			parts = strings.Split(h.path, ".")
		}
	}
	return append(parts, strings.Split(key, ".")...)
}

// line returns the line of path, falling back to its closest ancestor.
func (s *source) line(path string) int {
	if s == nil {
		return 0
	}
	for path != "" {
		if l, ok := s.lines[path]; ok {
			return l
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
	return 0
}

// indexSource walks the document with the unstable parser and records the
// line of every key, table header and array element. It is best effort: it
// stops at the first syntax error, which the decoder reports.
func indexSource(data []byte) *source {
	s := &source{lines: map[string]int{}, byLine: map[int][]string{}}
	newlines := make([]int, 0, 64)
	for i, c := range data {
		if c == '\n' {
			newlines = append(newlines, i)
		}
	}
	lineOf := func(r unstable.Range) int {
		if r.Offset == 0 && r.Length == 0 {
			return 0
		}
		return sort.SearchInts(newlines, int(r.Offset)) + 1
	}
	record := func(path string, line int) {
		if line == 0 {
			return
		}
		if _, ok := s.lines[path]; !ok {
			s.lines[path] = line
		}
		s.byLine[line] = append(s.byLine[line], path)
	}
	arrays := map[string]int{} // array-of-tables path → count so far
	// resolve joins key parts, entering the last element of any array of tables.
	resolve := func(parts []string) string {
		var path string
		for _, p := range parts {
			if path == "" {
				path = p
			} else {
				path += "." + p
			}
			if n, ok := arrays[path]; ok {
				path += "." + strconv.Itoa(n-1)
			}
		}
		return path
	}
	keyOf := func(n *unstable.Node) (parts []string, line int) {
		it := n.Key()
		for it.Next() {
			parts = append(parts, string(it.Node().Data))
			if line == 0 {
				line = lineOf(it.Node().Raw)
			}
		}
		return parts, line
	}
	var value func(path string, v *unstable.Node, line int)
	value = func(path string, v *unstable.Node, line int) {
		switch v.Kind {
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				kv := it.Node()
				if kv.Kind != unstable.KeyValue {
					continue
				}
				parts, l := keyOf(kv)
				p := path + "." + strings.Join(parts, ".")
				record(p, l)
				value(p, kv.Value(), l)
			}
		case unstable.Array:
			it := v.Children()
			for i := 0; it.Next(); i++ {
				el := it.Node()
				l := lineOf(el.Raw)
				if l == 0 {
					l = line
				}
				p := path + "." + strconv.Itoa(i)
				record(p, l)
				value(p, el, l)
			}
		}
	}

	var p unstable.Parser
	p.Reset(data)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			parts, l := keyOf(e)
			table = resolve(parts)
			record(table, l)
			s.headers = append(s.headers, header{l, table})
		case unstable.ArrayTable:
			parts, l := keyOf(e)
			parent := resolve(parts[:len(parts)-1])
			full := parts[len(parts)-1]
			if parent != "" {
				full = parent + "." + full
			}
			arrays[full]++
			table = full + "." + strconv.Itoa(arrays[full]-1)
			record(table, l)
			s.headers = append(s.headers, header{l, table})
		case unstable.KeyValue:
			parts, l := keyOf(e)
			path := strings.Join(parts, ".")
			if table != "" {
				path = table + "." + path
			}
			record(path, l)
			value(path, e.Value(), l)
		}
	}
	return s
}

// collector gathers problems for one configuration file.
type collector struct {
	file   string
	src    *source
	errs   []*Error
	failed map[string]bool // paths with a problem: one problem per key
	// reading: LoadForReading; "env:NAME" secrets whose variable is unset
	// are left empty, and nothing is checked against them.
	reading bool
}

// hasFailed reports whether key in scope s already has a problem.
func (c *collector) hasFailed(s scope, key string) bool {
	return c.failed[s.join(key)]
}

// scope is a place in the file that keys belong to: the top level, a table
// such as [notice], or one [[target]] or [[webhook]].
type scope struct {
	c       *collector
	path    string // path prefix in the source index: "", "notice", "target.1"
	section string // label for errors: "", `target[2] "naver"`
	keyBase string // prefix of key names in errors: "", "notice."
	// needed: secrets of this scope are resolved even by LoadForReading
	// (readers need them too, like the PostgreSQL DSN).
	needed bool
}

// need returns s resolving its secrets even for LoadForReading.
func (s scope) need() scope {
	s.needed = true
	return s
}

func (c *collector) root() scope { return scope{c: c} }

// table returns the scope of a top-level table such as [notice].
func (c *collector) table(name string) scope {
	return scope{c: c, path: name, keyBase: name + "."}
}

// item returns the scope of the i-th (0-based) [[kind]] table, labelled
// with its name when it has one.
func (c *collector) item(kind string, i int, name string) scope {
	label := kind + "[" + strconv.Itoa(i+1) + "]"
	if name != "" {
		label += " " + strconv.Quote(name)
	}
	return scope{c: c, path: kind + "." + strconv.Itoa(i), section: label}
}

// fail records a problem with key. An array element is written "exclude.0":
// its line is the element's, and it is named "exclude[1]" (1-based, like
// sections).
func (s scope) fail(key string, err error) {
	path := s.join(key)
	if s.c.failed[path] {
		return // a value that failed to parse is not validated again
	}
	if s.c.failed == nil {
		s.c.failed = map[string]bool{}
	}
	s.c.failed[path] = true
	name := key
	if i := strings.IndexByte(key, '.'); i >= 0 {
		if n, convErr := strconv.Atoi(key[i+1:]); convErr == nil {
			name = key[:i] + "[" + strconv.Itoa(n+1) + "]"
		}
	}
	s.c.errs = append(s.c.errs, &Error{
		File:    s.c.file,
		Line:    s.c.src.line(path),
		Section: s.section,
		Key:     s.keyBase + name,
		Err:     err,
	})
}

func (s scope) failf(key, format string, args ...any) {
	s.fail(key, fmt.Errorf(format, args...))
}

// join returns the source path of key in this scope.
func (s scope) join(key string) string {
	if s.path == "" {
		return key
	}
	return s.path + "." + key
}

// lineOf returns the line of key in this scope, 0 when unknown.
func (s scope) lineOf(key string) int { return s.c.src.line(s.join(key)) }

// where formats a position for messages that point at a second place.
func (c *collector) where(line int) string {
	switch {
	case c.file != "" && line > 0:
		return c.file + ":" + strconv.Itoa(line)
	case line > 0:
		return "line " + strconv.Itoa(line)
	default:
		return "an earlier entry"
	}
}

// err returns every problem, ordered by line, joined; nil when there is none.
func (c *collector) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(c.errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	errs := make([]error, len(c.errs))
	for i, e := range c.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}
