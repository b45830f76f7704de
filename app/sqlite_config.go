package app

/*
typedef struct sqlite3 sqlite3;
int sqlite3_config(int, ...);
int sqlite3_db_config(sqlite3*, int, ...);
int sqlite3_auto_extension(void (*)(void));

// Values from sqlite3.h.
#define PARLEY_CONFIG_MEMSTATUS 9
#define PARLEY_DBCONFIG_ENABLE_QPSG 1007

static volatile int parley_stable_plans;

// Every new connection gets stable query plans, and counts itself.
static int parley_on_open(sqlite3 *db, const char **err, const void *api) {
	int on = 0;
	if (sqlite3_db_config(db, PARLEY_DBCONFIG_ENABLE_QPSG, 1, &on) == 0 && on == 1) {
		__sync_fetch_and_add(&parley_stable_plans, 1);
	}
	return 0;
}

static int parley_configure(void) {
	int rc = sqlite3_config(PARLEY_CONFIG_MEMSTATUS, 0);
	if (rc != 0) {
		return rc;
	}
	return sqlite3_auto_extension((void (*)(void))parley_on_open);
}

static int parley_stable_plan_connections(void) { return parley_stable_plans; }
*/
import "C"

// Process-wide SQLite settings, made before any connection is opened
// (SQLite refuses the first afterwards). sqliteConfigured is SQLite's answer
// (0 is SQLITE_OK).
//
//   - No memory statistics: with them, every allocation of every connection
//     takes one process-wide lock, and under load the read connections
//     queued on it. Parley reads no memory statistics.
//   - Stable query plans on every connection (SQLITE_DBCONFIG_ENABLE_QPSG):
//     otherwise SQLite marks a prepared statement to be planned again when
//     a bound value might change its plan, and the driver clears the
//     bindings before every execution, so every read of a kept statement
//     was parsed and planned anew. Parley's plans come from its indexes,
//     not from the values bound.
var sqliteConfigured = int(C.parley_configure())

// stablePlanConnections is how many connections were opened with stable
// query plans (for tests).
func stablePlanConnections() int { return int(C.parley_stable_plan_connections()) }
