package diffview

import (
	"embed"
	"fmt"
	"html/template"
)

//go:embed templates/diffview.html templates/diffview.css
var files embed.FS

// AddTo parses the diffview templates into t, so that t's own templates can
// call {{template "diffview" .View}}. The set defines "diffview" (a View)
// and "diffview.segments" (a []diff.Segment).
func AddTo(t *template.Template) (*template.Template, error) {
	t, err := t.ParseFS(files, "templates/diffview.html")
	if err != nil {
		return nil, fmt.Errorf("diffview: parse templates: %w", err)
	}
	return t, nil
}

// CSS is the view's stylesheet: serve it as a file (the web UI does, under
// a strict Content-Security-Policy) or inline it in a self-contained
// report's <style>.
func CSS() []byte {
	b, err := files.ReadFile("templates/diffview.css")
	if err != nil {
		panic("diffview: embedded stylesheet missing: " + err.Error()) // embedded at build time
	}
	return b
}
