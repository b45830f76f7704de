// Package static holds Parley's stylesheet, script and images, embedded.
package static

import "embed"

// FS holds the static files, served under /static/.
//
//go:embed *.css *.js *.svg
var FS embed.FS
