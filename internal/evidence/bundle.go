package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
)

// ErrRange is returned by Build for a FROM/TO that does not name stored
// versions in order.
var ErrRange = errors.New("evidence: bad version range")

// Source is what a bundle is built from: a target's versions, their texts
// and pages, its events and its chain. web's store source implements it.
type Source interface {
	Versions(ctx context.Context, target string) ([]snapshot.Version, error)
	Text(ctx context.Context, target string, id uint64) (string, error)
	Raw(ctx context.Context, target string, id uint64) ([]byte, error)
	Events(ctx context.Context, f snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error)
	Chain(ctx context.Context, target string) ([]snapshot.ChainRecord, []string, error)
}

// Request names what to export.
type Request struct {
	Target string
	// From and To are version ids; 0 picks the default: the latest change
	// (the last two versions), or From up to the latest.
	From, To uint64
	// Lang is the language of report.html (default Korean).
	Lang i18n.Lang
	// Location is the zone of dates for people (default Asia/Seoul).
	Location *time.Location
	// Now is when the bundle is made.
	Now time.Time
	// Generator names the program in the report ("monitord v1.2.3").
	Generator string
}

// File is one file of a bundle.
type File struct {
	Path string
	Data []byte
}

// Manifest is manifest.json.
type Manifest struct {
	Target      ManifestTarget       `json:"target"`
	From        uint64               `json:"from"`
	To          uint64               `json:"to"`
	GeneratedAt string               `json:"generated_at"`
	Files       []ManifestFile       `json:"files"`
	Chain       []ManifestLink       `json:"chain"`
	ChainHead   *snapshot.ChainHead  `json:"chain_head,omitempty"`
	Versions    []ManifestVersionRef `json:"versions"`
}

// ManifestTarget names the target.
type ManifestTarget struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// ManifestFile is one file with its hash.
type ManifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// ManifestLink is one chain record: its hash and the hash it links to.
type ManifestLink struct {
	Record uint64 `json:"record"`
	SHA256 string `json:"sha256"`
	Prev   string `json:"prev"`
}

// ManifestVersionRef ties an exported version to its chain record.
type ManifestVersionRef struct {
	ID     uint64 `json:"id"`
	Record uint64 `json:"record"`
	Dir    string `json:"dir"`
}

// Bundle is a built export: its files (manifest.json and SHA256SUMS last).
type Bundle struct {
	Name     string // a file name stem: "naver-v3-v4"
	Files    []File
	Manifest Manifest
}

// versionData is one exported version with what was read for it.
type versionData struct {
	V    snapshot.Version
	Text string
	Raw  []byte
	Doc  *policy.Document
	Dir  string
	Page string // path of the raw page in the bundle, "" when none was kept
	Hash string // chain record hash
}

// Build reads one change of a target and assembles its bundle.
func Build(ctx context.Context, src Source, req Request) (*Bundle, error) {
	if req.Location == nil {
		loc, err := time.LoadLocation("Asia/Seoul")
		if err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
		req.Location = loc
	}
	if req.Lang == "" {
		req.Lang = i18n.Korean
	}
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	vs, err := src.Versions(ctx, req.Target)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("%w: %q has no stored version yet: run `monitord check` first", ErrRange, req.Target)
	}
	fromIdx, toIdx, err := pickRange(vs, req.From, req.To)
	if err != nil {
		return nil, fmt.Errorf("%w for %q", err, req.Target)
	}
	recs, hashes, err := src.Chain(ctx, req.Target)
	if err != nil {
		return nil, err
	}
	var ds []*versionData
	for _, v := range vs[fromIdx : toIdx+1] {
		d := &versionData{V: v, Dir: fmt.Sprintf("v%d", v.ID)}
		if d.Text, err = src.Text(ctx, req.Target, v.ID); err != nil {
			return nil, err
		}
		if d.Raw, err = src.Raw(ctx, req.Target, v.ID); err != nil {
			return nil, err
		}
		d.Doc = policy.Parse(d.Text)
		if v.Chain >= 1 && int(v.Chain) <= len(hashes) {
			d.Hash = hashes[v.Chain-1]
		}
		ds = append(ds, d)
	}
	evs, err := src.Events(ctx, snapshot.EventFilter{Target: req.Target})
	if err != nil {
		return nil, err
	}
	verdict := verdictOf(evs, ds[len(ds)-1].V)

	b := &bundleBuilder{req: req}
	for _, d := range ds {
		if d.Raw != nil {
			d.Page = d.Dir + "/page" + pageExt(d.V.MediaType)
			b.add(d.Page, d.Raw)
		}
		b.add(d.Dir+"/text.txt", []byte(d.Text))
		b.addJSON(d.Dir+"/headers.json", headersDoc(d.V))
		b.addJSON(d.Dir+"/version.json", versionDoc(d, req.Location))
	}
	from, to := ds[0], ds[len(ds)-1]
	change := diff.Compare(from.Doc, to.Doc, diff.Options{})
	var dj bytes.Buffer
	if err := diff.RenderJSON(&dj, change); err != nil {
		return nil, fmt.Errorf("evidence: render diff: %w", err)
	}
	b.add("diff.json", dj.Bytes())
	b.addJSON("verdict.json", verdict)

	// The chain from the first exported version's record to the head.
	first := uint64(1)
	if from.V.Chain > 0 {
		first = from.V.Chain
	}
	var links []ManifestLink
	type chainEntry struct {
		SHA256 string `json:"sha256"`
		snapshot.ChainRecord
	}
	var chain []chainEntry
	for i, r := range recs {
		if r.Seq < first {
			continue
		}
		links = append(links, ManifestLink{Record: r.Seq, SHA256: hashes[i], Prev: r.Prev})
		chain = append(chain, chainEntry{SHA256: hashes[i], ChainRecord: r})
	}
	if chain == nil {
		chain = []chainEntry{}
		links = []ManifestLink{}
	}
	b.addJSON("chain.json", chain)

	rep, err := renderReport(reportInput{req: req, versions: ds, change: change, verdict: verdict, links: links, records: recs, hashes: hashes})
	if err != nil {
		return nil, err
	}
	b.add("report.html", rep)

	m := Manifest{
		Target: ManifestTarget{Name: req.Target, URL: to.V.URL},
		From:   from.V.ID, To: to.V.ID, GeneratedAt: req.Now.In(req.Location).Format(time.RFC3339),
		Chain: links,
	}
	if len(recs) > 0 {
		last := recs[len(recs)-1]
		m.ChainHead = &snapshot.ChainHead{Records: last.Seq, Head: hashes[len(hashes)-1], At: last.At}
	}
	for _, d := range ds {
		m.Versions = append(m.Versions, ManifestVersionRef{ID: d.V.ID, Record: d.V.Chain, Dir: d.Dir})
	}
	var sums strings.Builder
	for _, f := range b.files {
		sum := sha256.Sum256(f.Data)
		h := hex.EncodeToString(sum[:])
		m.Files = append(m.Files, ManifestFile{Path: f.Path, SHA256: h, Bytes: len(f.Data)})
		fmt.Fprintf(&sums, "%s  %s\n", h, f.Path)
	}
	b.addJSON("manifest.json", m)
	b.add("SHA256SUMS", []byte(sums.String()))
	if b.err != nil {
		return nil, b.err
	}
	return &Bundle{Name: fmt.Sprintf("%s-v%d-v%d", safeName(req.Target), from.V.ID, to.V.ID), Files: b.files, Manifest: m}, nil
}

// pickRange resolves FROM and TO (0: default) to indexes into vs.
func pickRange(vs []snapshot.Version, from, to uint64) (int, int, error) {
	find := func(id uint64) int {
		for i, v := range vs {
			if v.ID == id {
				return i
			}
		}
		return -1
	}
	toIdx := len(vs) - 1
	if to != 0 {
		if toIdx = find(to); toIdx < 0 {
			return 0, 0, fmt.Errorf("%w: no version %d", ErrRange, to)
		}
	}
	fromIdx := max(toIdx-1, 0)
	if from != 0 {
		if fromIdx = find(from); fromIdx < 0 {
			return 0, 0, fmt.Errorf("%w: no version %d", ErrRange, from)
		}
		if to == 0 {
			toIdx = len(vs) - 1
		}
	}
	if fromIdx > toIdx {
		return 0, 0, fmt.Errorf("%w: FROM (v%d) is newer than TO (v%d)", ErrRange, vs[fromIdx].ID, vs[toIdx].ID)
	}
	return fromIdx, toIdx, nil
}

// Verdict is verdict.json: what monitord concluded about the newest
// exported version, from the event it raised.
type Verdict struct {
	Version      uint64                `json:"version"`
	EventID      string                `json:"event_id,omitempty"`
	Type         string                `json:"type,omitempty"`
	DetectedAt   string                `json:"detected_at,omitempty"`
	Violations   []message.Violation   `json:"violations"`
	Announcement *message.Announcement `json:"announcement,omitempty"`
	DateChanges  []message.DateChange  `json:"date_changes,omitempty"`
	ReturnOf     string                `json:"return_of,omitempty"`
	Summary      string                `json:"summary,omitempty"`
	// Rules are the rule names stored with the version (when no event
	// carries the full verdict, e.g. a cosmetic change).
	Rules []string `json:"rules,omitempty"`
}

func verdictOf(evs []snapshot.EventWithDeliveries, v snapshot.Version) Verdict {
	out := Verdict{Version: v.ID, Violations: []message.Violation{}}
	for _, r := range strings.Split(v.Meta["violations"], ",") {
		if r = strings.TrimSpace(r); r != "" {
			out.Rules = append(out.Rules, r)
		}
	}
	for _, e := range evs {
		if e.Version != v.ID || (e.Type != message.TypeBaseline && e.Type != message.TypeChanged) {
			continue
		}
		var m message.Event
		if json.Unmarshal(e.Payload, &m) != nil {
			continue
		}
		out.EventID, out.Type, out.Summary = e.ID, e.Type, m.Summary
		if !m.DetectedAt.IsZero() {
			out.DetectedAt = m.DetectedAt.Format(time.RFC3339)
		}
		if m.Violations != nil {
			out.Violations = m.Violations
		}
		out.Announcement, out.DateChanges, out.ReturnOf = m.Announcement, m.DateChanges, m.ReturnOf
		break
	}
	return out
}

func headersDoc(v snapshot.Version) any {
	h := v.Header
	if h == nil {
		h = map[string][]string{}
	}
	return struct {
		URL          string              `json:"url"`
		Status       int                 `json:"status"`
		MediaType    string              `json:"media_type,omitempty"`
		Charset      string              `json:"charset,omitempty"`
		ETag         string              `json:"etag,omitempty"`
		LastModified string              `json:"last_modified,omitempty"`
		Header       map[string][]string `json:"header"`
	}{v.URL, v.Status, v.MediaType, v.Charset, v.ETag, v.LastModified, h}
}

func versionDoc(d *versionData, loc *time.Location) any {
	v := d.V
	type stamp struct {
		KST string `json:"kst"`
		UTC string `json:"utc"`
	}
	at := func(t time.Time) stamp {
		return stamp{KST: t.In(loc).Format(time.RFC3339), UTC: t.UTC().Format(time.RFC3339Nano)}
	}
	return struct {
		Target       string `json:"target"`
		ID           uint64 `json:"id"`
		TextSHA256   string `json:"text_sha256"`
		RawSHA256    string `json:"raw_sha256,omitempty"`
		Page         string `json:"page,omitempty"`
		FirstSeen    stamp  `json:"first_seen"`
		LastSeen     stamp  `json:"last_seen"`
		Seen         int    `json:"seen"`
		Announced    string `json:"announced,omitempty"`
		Effective    string `json:"effective,omitempty"`
		Technical    bool   `json:"technical,omitempty"`
		ReturnOf     uint64 `json:"return_of,omitempty"`
		Rules        string `json:"rules,omitempty"`
		ChainRecord  uint64 `json:"chain_record,omitempty"`
		RecordSHA256 string `json:"chain_record_sha256,omitempty"`
	}{v.Target, v.ID, v.TextHash, v.RawHash, d.Page, at(v.FirstSeen), at(v.LastSeen), v.Seen,
		v.Meta["announced"], v.Meta["effective"], v.Technical, v.ReturnOf, v.Rules, v.Chain, d.Hash}
}

func pageExt(mediaType string) string {
	switch {
	case strings.Contains(mediaType, "html"):
		return ".html"
	case strings.HasPrefix(mediaType, "text/"):
		return ".txt"
	}
	return ".raw"
}

// safeName keeps letters, digits, '-' and '_' of a target name for file names.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

type bundleBuilder struct {
	req   Request
	files []File
	err   error
}

func (b *bundleBuilder) add(path string, data []byte) {
	b.files = append(b.files, File{Path: path, Data: data})
}

func (b *bundleBuilder) addJSON(path string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil && b.err == nil {
		b.err = fmt.Errorf("evidence: encode %s: %w", path, err)
	}
	b.add(path, buf.Bytes())
}

// WriteZip writes the bundle as a zip archive, every file under the
// bundle's name, stamped with when it was made.
func (b *Bundle) WriteZip(w io.Writer, modified time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range b.Files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: b.Name + "/" + f.Path, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return fmt.Errorf("evidence: zip %s: %w", f.Path, err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			return fmt.Errorf("evidence: zip %s: %w", f.Path, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("evidence: zip: %w", err)
	}
	return nil
}

// WriteDir writes the bundle's files under dir, which must not exist yet
// or be empty.
func (b *Bundle) WriteDir(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("evidence: %s is not empty: export into a new directory", dir)
	}
	for _, f := range b.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
	}
	return nil
}
