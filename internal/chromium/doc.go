// Package chromium owns how monitord starts a headless Chromium: where the
// executable is found, the flags it always runs with (headless, no GPU, no
// background networking or component updates, a fresh profile per process,
// --no-sandbox only as root) and the chromedp contexts over it. The page
// renderer and the browser tests of the web UI and the export report use it,
// so there is one way to start the browser.
//
// Only Debian's chromium package (or another installed Chromium) is used; a
// browser is never downloaded.
package chromium
