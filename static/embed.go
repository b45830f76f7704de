// Package static holds Parley's stylesheet, script and images, embedded.
// Pages name each file with a hash of its content (URL), so that browsers
// may keep it for a year and still get a new one the moment it changes.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

// FS holds the static files, served under /static/.
//
//go:embed *.css *.js *.svg
var FS embed.FS

// hashed maps each file's name to its content-hashed name, and back.
var hashed, plain = func() (map[string]string, map[string]string) {
	h, p := map[string]string{}, map[string]string{}
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := FS.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext
		h[e.Name()], p[name] = name, e.Name()
	}
	return h, p
}()

// URL is the address of a static file, with its content's hash in the name.
func URL(name string) string {
	if n, ok := hashed[name]; ok {
		return "/static/" + n
	}
	return "/static/" + name
}

// Lookup resolves a requested file name: the file it names, and whether the
// request named it by its content hash (so that it can be kept for ever).
func Lookup(requested string) (name string, immutable, ok bool) {
	if n, ok := plain[requested]; ok {
		return n, true, true
	}
	if _, ok := hashed[requested]; ok {
		return requested, false, true
	}
	return "", false, false
}
