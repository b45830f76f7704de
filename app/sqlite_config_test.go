package app

import (
	"context"
	"path/filepath"
	"testing"
)

// The configuration was accepted (it ran before SQLite was first used), and
// every connection Parley opens has stable query plans.
func TestSQLiteConfiguration(t *testing.T) {
	if sqliteConfigured != 0 {
		t.Fatalf("the SQLite configuration returned %d", sqliteConfigured)
	}
	before := stablePlanConnections()
	db, err := OpenDB(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < 3; i++ { // the writer and read connections
		if err := db.Reader().Ping(); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Writer().Ping(); err != nil {
		t.Fatal(err)
	}
	if stablePlanConnections() < before+2 {
		t.Fatalf("%d connections opened with stable plans, want at least 2", stablePlanConnections()-before)
	}
}
