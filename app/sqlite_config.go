package app

/*
int sqlite3_config(int, ...);

// SQLITE_CONFIG_MEMSTATUS is 9 in sqlite3.h.
static int parley_memstatus_off(void) { return sqlite3_config(9, 0); }
*/
import "C"

// sqliteConfigured is SQLite's answer to the process-wide configuration set
// below (0 is SQLITE_OK). SQLite keeps memory statistics by default, and
// every allocation of every connection then takes one process-wide lock:
// under load the read connections queued on it, and a page cost about a
// sixth more. Parley reads no memory statistics, so they are turned off,
// before any connection is opened (SQLite refuses the change afterwards).
var sqliteConfigured = int(C.parley_memstatus_off())
