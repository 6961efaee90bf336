// Package e2e holds parc's end-to-end tests: a real Chromium drives the HTML
// interface of a parc served on 127.0.0.1, as a person would, on every store.
//
// The tests need Debian's chromium (/usr/bin/chromium or "chromium" on the PATH).
// Without it they are skipped, unless PARC_BROWSER_TESTS=1 (as in CI) makes that a
// failure. When PARC_SCREENSHOTS names a directory, the tests save screenshots of
// the pages they visit there, at desktop and phone widths.
package e2e
