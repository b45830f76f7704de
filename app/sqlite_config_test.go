package app

import "testing"

// The configuration was accepted: it ran before SQLite was first used.
func TestSQLiteMemoryStatisticsAreOff(t *testing.T) {
	if sqliteConfigured != 0 {
		t.Fatalf("sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) returned %d", sqliteConfigured)
	}
}
