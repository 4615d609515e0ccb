package chromium

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// DefaultExecutable is the name looked up on PATH when none is configured.
const DefaultExecutable = "chromium"

// ErrNotFound means no Chromium executable could be found.
var ErrNotFound = errors.New("chromium: no browser executable found (install it with: apt-get install chromium)")

// candidates are tried, in order, when the default name is not on PATH.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"}

// Find returns the path of the browser executable: name looked up on PATH
// (or used as a path when it holds a slash); with name "" the usual names of
// Chromium are tried. The error wraps ErrNotFound.
func Find(name string) (string, error) {
	if name != "" && name != DefaultExecutable {
		p, err := exec.LookPath(name)
		if err != nil {
			return "", fmt.Errorf("%w: %q: %v", ErrNotFound, name, err)
		}
		return p, nil
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Options are the flags every monitord browser runs with, for the
// executable exe and the profile folder dir (fresh and private to one
// process). Callers may append more.
func Options(exe, dir string) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(dir),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 900),
	}
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root with its sandbox on.
		opts = append(opts, chromedp.NoSandbox)
	}
	return opts
}

// Browser is one running browser process with its own fresh profile.
type Browser struct {
	ctx    context.Context // the browser's first tab; derive tabs from it
	cancel context.CancelFunc
	dir    string
}

// Start launches the browser found at exe (see Find) with Options plus
// extra; it runs until Close or until ctx ends. The profile folder is
// created empty and removed by Close.
func Start(ctx context.Context, exe string, extra ...chromedp.ExecAllocatorOption) (*Browser, error) {
	dir, err := os.MkdirTemp("", "monitord-chromium-")
	if err != nil {
		return nil, fmt.Errorf("chromium: create a profile folder: %w", err)
	}
	opts := append(Options(exe, dir), extra...)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// Do with no actions starts the process and its first tab.
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("chromium: start %s: %w", exe, err)
	}
	return &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }, dir: dir}, nil
}

// Tab opens a new tab; cancel closes it.
func (b *Browser) Tab() (context.Context, context.CancelFunc) {
	return chromedp.NewContext(b.ctx)
}

// Context is the browser's first tab.
func (b *Browser) Context() context.Context { return b.ctx }

// Close stops the browser process and removes its profile.
func (b *Browser) Close() error {
	b.cancel()
	return os.RemoveAll(b.dir)
}
