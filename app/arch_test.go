package app

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The layers import only downwards (README, "Architecture"):
//
//	cmd/parley → app/web → views → feature packages (app/agenda, …) → app → migrations
//	a later feature → an earlier one (app/meetings → app/agenda)
//	                                 app/i18n and static stand apart (views may name static files)
//	app/witness → app                (the witness client: the API's types and checkpoint format; no database)
//
// A feature imports the core and nothing above it; the core imports no
// feature; views import no handler; nothing imports cmd.
func TestImportsFollowTheLayers(t *testing.T) {
	const mod = "github.com/parley/parley/"
	// Features in the order they were built: a later feature may use an
	// earlier one's service (meetings schedule agenda items), never the reverse.
	features := map[string]int{"app/agenda": 1, "app/meetings": 2, "app/incidents": 3, "app/actions": 4}
	allowed := func(from, to string) bool {
		switch {
		case from == "cmd/parley":
			return true
		case from == "app/web":
			return to != "cmd/parley"
		case from == "views":
			return to == "app" || to == "app/i18n" || to == "static" || features[to] > 0
		case features[from] > 0:
			return to == "app" || to == "migrations" || (features[to] > 0 && features[to] < features[from])
		case from == "app":
			return to == "migrations" || to == "app/i18n"
		case from == "app/witness":
			return to == "app"
		}
		return false // app/i18n, migrations, static import nothing of Parley's
	}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "data" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		from, _ := filepath.Rel(root, filepath.Dir(path))
		from = filepath.ToSlash(from)
		for _, imp := range f.Imports {
			to := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(to, mod) {
				continue
			}
			to = strings.TrimPrefix(to, mod)
			if to == from {
				continue
			}
			if !allowed(from, to) {
				t.Errorf("%s imports %s: against the direction of the layers", path, to)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
