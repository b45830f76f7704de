package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// auditRecords returns every audit record, in insertion order.
func auditRecords(t *testing.T, s *Service) []AuditRecord {
	t.Helper()
	var rows []auditRow
	if err := s.db.read(context.Background()).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]AuditRecord, len(rows))
	for i := range rows {
		out[i] = rows[i].record()
	}
	return out
}

// lastRecord returns the newest audit record, failing if there is none.
func lastRecord(t *testing.T, s *Service) AuditRecord {
	t.Helper()
	recs := auditRecords(t, s)
	if len(recs) == 0 {
		t.Fatal("no audit records")
	}
	return recs[len(recs)-1]
}

// chainRecords returns the records of one chain by seq.
func chainRecords(t *testing.T, s *Service, chain string) []AuditRecord {
	t.Helper()
	var out []AuditRecord
	for _, r := range auditRecords(t, s) {
		if r.Chain == chain {
			out = append(out, r)
		}
	}
	return out
}

// checkAppended asserts that exactly one record was appended since before,
// with the given chain, action and object, continuing its chain.
func checkAppended(t *testing.T, s *Service, before []AuditRecord, chain, action string, objectID int64, actor *User) AuditRecord {
	t.Helper()
	after := auditRecords(t, s)
	if len(after) != len(before)+1 {
		t.Fatalf("%s: %d new audit records, want 1", action, len(after)-len(before))
	}
	r := after[len(after)-1]
	if r.Chain != chain || r.Action != action || r.ObjectID != objectID {
		t.Fatalf("appended %s/%s object %d, want %s/%s object %d", r.Chain, r.Action, r.ObjectID, chain, action, objectID)
	}
	var prev *AuditRecord
	for i := range before {
		if before[i].Chain == chain {
			prev = &before[i]
		}
	}
	wantSeq, wantPrev := int64(1), ""
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
	}
	if r.Seq != wantSeq || r.PrevHash != wantPrev {
		t.Fatalf("%s: seq %d prev %.8s, want seq %d prev %.8s", action, r.Seq, r.PrevHash, wantSeq, wantPrev)
	}
	if r.Hash != hashRecord(&r) {
		t.Fatalf("%s: stored hash does not match content", action)
	}
	if actor != nil {
		if r.ActorID == nil || *r.ActorID != actor.ID || r.ActorName != actor.Name {
			t.Fatalf("%s: actor %v %q, want %d %q", action, r.ActorID, r.ActorName, actor.ID, actor.Name)
		}
		if actor.Side != nil && r.ActorSide != actor.Side.Code {
			t.Fatalf("%s: actor side %q, want %q", action, r.ActorSide, actor.Side.Code)
		}
	}
	if !r.At.Equal(s.now()) {
		t.Fatalf("%s: at %v, want the service clock %v", action, r.At, s.now())
	}
	return r
}

func TestEveryWriteIsAudited(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	c.advance(time.Minute)

	// user.create on the shared chain, with the account's details.
	before := auditRecords(t, s)
	us, _ := s.db.sideByCode(ctx, "US")
	u, _, err := s.CreateUser(ctx, admin, UserInput{Email: "new@parley.example", Name: "New Person", SideID: us.ID, Role: RoleDelegate})
	if err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, s, before, ChainShared, "user.create", u.ID, admin)
	var ch map[string]any
	if err := json.Unmarshal([]byte(r.Changes), &ch); err != nil {
		t.Fatal(err)
	}
	if ch["email"] != "new@parley.example" || ch["side"] != "US" || ch["role"] != "delegate" || ch["admin"] != false {
		t.Fatalf("user.create changes = %s", r.Changes)
	}
	if strings.Contains(r.Changes, "password") || strings.Contains(r.Changes, "argon2") {
		t.Fatalf("user.create record leaks the password: %s", r.Changes)
	}

	// user.update on the shared chain, as old/new pairs.
	c.advance(time.Minute)
	before = auditRecords(t, s)
	if _, err := s.UpdateUser(ctx, admin, u.ID, u.Version, UserEdit{Email: u.Email, Name: "Renamed Person", Role: RoleDelegate}); err != nil {
		t.Fatal(err)
	}
	r = checkAppended(t, s, before, ChainShared, "user.update", u.ID, admin)
	if cl := r.ChangeList(); len(cl) != 1 || cl[0].Field != "name" || !cl[0].HasOld || cl[0].Old != "New Person" || cl[0].New != "Renamed Person" {
		t.Fatalf("user.update changes = %+v", cl)
	}

	// session.login on the user's side chain.
	c.advance(time.Minute)
	before = auditRecords(t, s)
	tok, head, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.1.1.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, SideChain(head.SideID), "session.login", head.ID, head)

	// user.settings on the side chain.
	c.advance(time.Minute)
	before = auditRecords(t, s)
	if err := s.UpdateSettings(ctx, head, head.Version, "zh", "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, SideChain(head.SideID), "user.settings", head.ID, head)

	// SetLanguage is a settings change too.
	c.advance(time.Minute)
	head = user(t, s, "us.head@parley.example")
	before = auditRecords(t, s)
	if err := s.SetLanguage(ctx, head, "en"); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, SideChain(head.SideID), "user.settings", head.ID, head)

	// user.password_change on the side chain.
	c.advance(time.Minute)
	head = user(t, s, "us.head@parley.example")
	_, sess, err := s.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	before = auditRecords(t, s)
	if err := s.ChangePassword(ctx, head, sess.ID, DemoPassword, "violet-canyon-88", "violet-canyon-88"); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, SideChain(head.SideID), "user.password_change", head.ID, head)

	// session.logout on the side chain.
	c.advance(time.Minute)
	before = auditRecords(t, s)
	if err := s.Logout(ctx, head, sess.ID); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, SideChain(head.SideID), "session.logout", head.ID, head)

	// Account management by admins goes to the shared chain.
	c.advance(time.Minute)
	u, _ = s.db.userByID(ctx, u.ID, 0)
	before = auditRecords(t, s)
	if err := s.SetUserDisabled(ctx, admin, u.ID, u.Version, true); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, ChainShared, "user.disable", u.ID, admin)
	u, _ = s.db.userByID(ctx, u.ID, 0)
	before = auditRecords(t, s)
	if err := s.SetUserDisabled(ctx, admin, u.ID, u.Version, false); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, ChainShared, "user.enable", u.ID, admin)
	u, _ = s.db.userByID(ctx, u.ID, 0)
	before = auditRecords(t, s)
	if _, err := s.ResetPassword(ctx, admin, u.ID, u.Version); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, ChainShared, "user.password_reset", u.ID, admin)

	// Side management goes to the shared chain.
	before = auditRecords(t, s)
	eu, err := s.CreateDelegation(ctx, admin, SideInput{Code: "EU", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, ChainShared, "side.create", eu.ID, admin)
	before = auditRecords(t, s)
	if err := s.UpdateSide(ctx, admin, eu.ID, eu.Version, SideInput{Code: "EU", NameEN: "European Union delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, s, before, ChainShared, "side.update", eu.ID, admin)

	// And the whole trail still verifies.
	_, problems, err := s.db.VerifyAudit(ctx)
	if err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}

func TestNoOpWritesAreNotAudited(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	head := user(t, s, "us.head@parley.example")
	admin := user(t, s, "admin@parley.example")
	before := len(auditRecords(t, s))
	if err := s.UpdateSettings(ctx, head, head.Version, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(ctx, admin, head.ID, head.Version, UserEdit{Email: head.Email, Name: head.Name, Role: head.Role}); err != nil {
		t.Fatal(err)
	}
	if after := len(auditRecords(t, s)); after != before {
		t.Fatalf("unchanged saves appended %d audit records", after-before)
	}
}

func TestVerifyAuditCleanDatabase(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	for _, e := range []string{"us.head@parley.example", "cn.delegate@parley.example", "admin@parley.example"} {
		if _, _, err := s.Login(ctx, e, DemoPassword, "10.0.0.1", "t"); err != nil {
			t.Fatal(err)
		}
	}
	heads, problems, err := s.db.VerifyAudit(ctx)
	if err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
	// One good head per chain, matching the records and audit_heads.
	byChain := map[string]ChainHead{}
	for _, h := range heads {
		byChain[h.Chain] = h
	}
	us, _ := s.db.sideByCode(ctx, "US")
	cn, _ := s.db.sideByCode(ctx, "CN")
	sec, _ := s.db.sideByCode(ctx, "SEC")
	want := []string{ChainShared, SideChain(us.ID), SideChain(cn.ID), SideChain(sec.ID)}
	if len(heads) != len(want) {
		t.Fatalf("verified chains %v, want %v", heads, want)
	}
	for _, chain := range want {
		h, ok := byChain[chain]
		recs := chainRecords(t, s, chain)
		if !ok || len(recs) == 0 {
			t.Fatalf("chain %s not verified (%v)", chain, heads)
		}
		last := recs[len(recs)-1]
		if h.Length != int64(len(recs)) || h.Length != last.Seq || h.Hash != last.Hash || h.SideID != ChainSideID(chain) {
			t.Fatalf("chain %s head %+v, last record seq %d hash %.8s", chain, h, last.Seq, last.Hash)
		}
	}
	if heads[0].Chain != ChainShared {
		t.Fatalf("first verified chain = %s, want shared", heads[0].Chain)
	}
}

// tamperDB opens the database file directly, behind the service's back.
func tamperDB(t *testing.T, s *Service) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+s.db.Path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	return raw
}

// dropAppendOnly proves the append-only triggers work, then drops them.
func dropAppendOnly(t *testing.T, raw *sql.DB) {
	t.Helper()
	if _, err := raw.Exec("UPDATE audit_records SET action = 'x' WHERE seq = 1"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("UPDATE of an audit record: %v, want the append-only trigger", err)
	}
	if _, err := raw.Exec("DELETE FROM audit_records WHERE seq = 1"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("DELETE of an audit record: %v, want the append-only trigger", err)
	}
	for _, trig := range []string{"audit_records_no_update", "audit_records_no_delete"} {
		if _, err := raw.Exec("DROP TRIGGER " + trig); err != nil {
			t.Fatalf("drop %s: %v", trig, err)
		}
	}
}

func mustExec(t *testing.T, raw *sql.DB, query string, args ...any) {
	t.Helper()
	res, err := raw.Exec(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s: %d rows affected, want 1", query, n)
	}
}

// verifyProblem runs VerifyAudit and returns the single problem, checking that
// every other chain still verifies.
func verifyProblem(t *testing.T, s *Service, chains int) ChainProblem {
	t.Helper()
	heads, problems, err := s.db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 {
		t.Fatalf("problems = %v, want exactly one", problems)
	}
	if len(heads) != chains-1 {
		t.Fatalf("good chains = %v, want %d", heads, chains-1)
	}
	for _, h := range heads {
		if h.Chain == problems[0].Chain {
			t.Fatalf("chain %s reported both good and bad", h.Chain)
		}
	}
	return problems[0]
}

// tamperSetup returns a service with records on the shared chain and on the
// US and CN side chains, three chains in all.
func tamperSetup(t *testing.T) (*Service, *User, *User) {
	t.Helper()
	s, c := newTestService(t)
	ctx := context.Background()
	var us, cn *User
	for i := 0; i < 3; i++ {
		c.advance(time.Minute)
		var err error
		if _, us, err = s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t"); err != nil {
			t.Fatal(err)
		}
		if _, cn, err = s.Login(ctx, "cn.head@parley.example", DemoPassword, "10.0.0.2", "t"); err != nil {
			t.Fatal(err)
		}
	}
	if _, problems, err := s.db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("before tampering: %v %v", problems, err)
	}
	return s, us, cn
}

func recordAt(t *testing.T, s *Service, chain string, seq int64) AuditRecord {
	t.Helper()
	for _, r := range chainRecords(t, s, chain) {
		if r.Seq == seq {
			return r
		}
	}
	t.Fatalf("no record %s #%d", chain, seq)
	return AuditRecord{}
}

func TestAppendOnlyTriggersBlockChanges(t *testing.T) {
	s, _ := newTestService(t)
	raw := tamperDB(t, s)
	before := auditRecords(t, s)
	for _, q := range []string{
		"UPDATE audit_records SET changes = '{}' WHERE seq = 2 AND chain = 'shared'",
		"UPDATE audit_records SET seq = seq + 100",
		"DELETE FROM audit_records WHERE chain = 'shared' AND seq = 3",
		"DELETE FROM audit_records",
	} {
		if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v, want blocked by trigger", q, err)
		}
	}
	after := auditRecords(t, s)
	if len(after) != len(before) {
		t.Fatalf("records %d -> %d", len(before), len(after))
	}
	for i := range before {
		if !reflect.DeepEqual(before[i], after[i]) {
			t.Fatalf("record %d changed despite the triggers", before[i].ID)
		}
	}
	if _, problems, err := s.db.VerifyAudit(context.Background()); err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}

func TestTamperEditedChanges(t *testing.T) {
	s, _, _ := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	target := recordAt(t, s, ChainShared, 4)
	mustExec(t, raw, "UPDATE audit_records SET changes = ? WHERE id = ?", `{"admin":true}`, target.ID)
	p := verifyProblem(t, s, 3)
	if p.Chain != ChainShared || p.Seq != 4 || p.ID != target.ID || !strings.Contains(p.Reason, "hash") {
		t.Fatalf("problem = %s, want shared entry 4 (row %d) content mismatch", p, target.ID)
	}
	if !strings.Contains(p.String(), "chain shared") || !strings.Contains(p.String(), "entry 4") {
		t.Fatalf("problem text %q", p.String())
	}
}

func TestTamperEditedAction(t *testing.T) {
	s, us, _ := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	chain := SideChain(us.SideID)
	target := recordAt(t, s, chain, 2)
	mustExec(t, raw, "UPDATE audit_records SET action = 'session.logout' WHERE id = ?", target.ID)
	p := verifyProblem(t, s, 3)
	if p.Chain != chain || p.Seq != 2 || p.ID != target.ID || !strings.Contains(p.Reason, "hash") {
		t.Fatalf("problem = %s, want %s entry 2 (row %d)", p, chain, target.ID)
	}
}

func TestTamperRecomputedHashStillCaught(t *testing.T) {
	// Editing a record and fixing up its own hash breaks the link to the next one.
	s, _, cn := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	chain := SideChain(cn.SideID)
	target := recordAt(t, s, chain, 1)
	target.Changes = `{"client_ip":"1.2.3.4"}`
	newHash := hashRecord(&target)
	mustExec(t, raw, "UPDATE audit_records SET changes = ?, hash = ? WHERE id = ?", target.Changes, newHash, target.ID)
	next := recordAt(t, s, chain, 2)
	p := verifyProblem(t, s, 3)
	if p.Chain != chain || p.Seq != 2 || p.ID != next.ID || !strings.Contains(p.Reason, "previous") {
		t.Fatalf("problem = %s, want %s entry 2 does not follow", p, chain)
	}
}

func TestTamperDeletedMiddleRecord(t *testing.T) {
	s, _, _ := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	victim := recordAt(t, s, ChainShared, 5)
	next := recordAt(t, s, ChainShared, 6)
	mustExec(t, raw, "DELETE FROM audit_records WHERE id = ?", victim.ID)
	p := verifyProblem(t, s, 3)
	if p.Chain != ChainShared || p.Seq != 6 || p.ID != next.ID || !strings.Contains(p.Reason, "missing") {
		t.Fatalf("problem = %s, want shared entry 6 (row %d) missing predecessor", p, next.ID)
	}
}

func TestTamperDeletedLastRecord(t *testing.T) {
	s, us, _ := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	chain := SideChain(us.SideID)
	recs := chainRecords(t, s, chain)
	last := recs[len(recs)-1]
	mustExec(t, raw, "DELETE FROM audit_records WHERE id = ?", last.ID)
	// Without audit_heads the shortened chain would look perfect; the head catches it.
	p := verifyProblem(t, s, 3)
	if p.Chain != chain || p.Seq != last.Seq || !strings.Contains(p.Reason, "missing") {
		t.Fatalf("problem = %s, want %s entry %d missing at the end", p, chain, last.Seq)
	}
	// Deleting the head row as well leaves a chain with no recorded head.
	mustExec(t, raw, "DELETE FROM audit_heads WHERE chain = ?", chain)
	p = verifyProblem(t, s, 3)
	if p.Chain != chain || !strings.Contains(p.Reason, "no recorded head") {
		t.Fatalf("problem = %s, want %s without a head", p, chain)
	}
}

func TestTamperDeletedWholeChain(t *testing.T) {
	s, _, cn := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	chain := SideChain(cn.SideID)
	if _, err := raw.Exec("DELETE FROM audit_records WHERE chain = ?", chain); err != nil {
		t.Fatal(err)
	}
	p := verifyProblem(t, s, 3)
	if p.Chain != chain || p.Seq != 1 || !strings.Contains(p.Reason, "missing") {
		t.Fatalf("problem = %s, want %s entries missing from 1", p, chain)
	}
}

func TestTamperReorderedRecords(t *testing.T) {
	s, _, _ := tamperSetup(t)
	raw := tamperDB(t, s)
	dropAppendOnly(t, raw)
	a := recordAt(t, s, ChainShared, 3)
	b := recordAt(t, s, ChainShared, 4)
	mustExec(t, raw, "UPDATE audit_records SET seq = -1 WHERE id = ?", a.ID)
	mustExec(t, raw, "UPDATE audit_records SET seq = 3 WHERE id = ?", b.ID)
	mustExec(t, raw, "UPDATE audit_records SET seq = 4 WHERE id = ?", a.ID)
	p := verifyProblem(t, s, 3)
	// Entry 3 is now record b, whose prev hash is a's, not entry 2's.
	if p.Chain != ChainShared || p.Seq != 3 || p.ID != b.ID {
		t.Fatalf("problem = %s, want shared entry 3 (row %d)", p, b.ID)
	}
}

func TestTamperAppendedRecordBeyondHead(t *testing.T) {
	// A forged record appended with a correct hash, but without moving the head.
	s, _, _ := tamperSetup(t)
	raw := tamperDB(t, s)
	recs := chainRecords(t, s, ChainShared)
	last := recs[len(recs)-1]
	forged := AuditRecord{Chain: ChainShared, Seq: last.Seq + 1, At: last.At, ActorName: "x", Action: "user.create",
		ObjectType: "user", ObjectID: 99, Changes: "{}", PrevHash: last.Hash}
	forged.Hash = hashRecord(&forged)
	mustExec(t, raw, `INSERT INTO audit_records (chain, seq, at, actor_id, actor_name, actor_side, action, object_type, object_id, changes, prev_hash, hash)
		VALUES (?, ?, ?, NULL, ?, '', ?, ?, ?, ?, ?, ?)`, forged.Chain, forged.Seq, forged.At.UTC().Format(time.RFC3339Nano),
		forged.ActorName, forged.Action, forged.ObjectType, forged.ObjectID, forged.Changes, forged.PrevHash, forged.Hash)
	p := verifyProblem(t, s, 3)
	if p.Chain != ChainShared || !strings.Contains(p.Reason, "beyond") {
		t.Fatalf("problem = %s, want shared entries beyond the head", p)
	}
}

func chainNames(heads []ChainHead) []string {
	var out []string
	for _, h := range heads {
		out = append(out, h.Chain)
	}
	return out
}

func TestAuditChainsVisibility(t *testing.T) {
	s, _, _ := tamperSetup(t) // activity on shared, US and CN chains
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	if _, _, err := s.Login(ctx, admin.Email, DemoPassword, "10.0.0.3", "t"); err != nil {
		t.Fatal(err)
	}
	us, _ := s.db.sideByCode(ctx, "US")
	cn, _ := s.db.sideByCode(ctx, "CN")
	sec, _ := s.db.sideByCode(ctx, "SEC")
	all, _, err := s.db.VerifyAudit(ctx)
	if err != nil || len(all) != 4 {
		t.Fatalf("expected 4 chains to exist: %v %v", all, err)
	}
	for _, c := range []struct {
		email string
		want  []string
	}{
		{"us.head@parley.example", []string{ChainShared, SideChain(us.ID)}},
		{"us.observer@parley.example", []string{ChainShared, SideChain(us.ID)}},
		{"cn.delegate@parley.example", []string{ChainShared, SideChain(cn.ID)}},
		// Admin rights give no view of a delegation's chain.
		{"admin@parley.example", []string{ChainShared, SideChain(sec.ID)}},
		{"secretariat@parley.example", []string{ChainShared, SideChain(sec.ID)}},
	} {
		u := user(t, s, c.email)
		heads, err := s.AuditChains(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if got := chainNames(heads); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s sees chains %v, want %v", c.email, got, c.want)
		}
		for _, h := range heads {
			if h.Length == 0 || h.Hash == "" {
				t.Errorf("%s: chain %s head empty: %+v", c.email, h.Chain, h)
			}
		}
	}
	// A side with no activity yet still sees the shared chain, and only it.
	eu, err := s.CreateDelegation(ctx, admin, SideInput{Code: "EU", NameEN: "EU", NameZH: "欧盟", TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	heads, err := s.AuditChains(ctx, &User{ID: 999, SideID: eu.ID, Role: RoleHead})
	if err != nil || strings.Join(chainNames(heads), ",") != ChainShared {
		t.Fatalf("EU member sees %v (%v), want only shared", chainNames(heads), err)
	}
	if heads[0].Length == 0 {
		t.Fatalf("shared head for EU member is empty: %+v", heads[0])
	}
}

func TestHistoryOnlyVisibleChains(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	c.advance(time.Minute)
	_, head, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t")
	if err != nil {
		t.Fatal(err)
	}
	c.advance(time.Minute)
	if err := s.UpdateSettings(ctx, head, head.Version, "zh", ""); err != nil {
		t.Fatal(err)
	}
	c.advance(time.Minute)
	head = user(t, s, head.Email)
	if _, err := s.UpdateUser(ctx, admin, head.ID, head.Version, UserEdit{Email: head.Email, Name: "Michael J. Reed", Role: RoleHead}); err != nil {
		t.Fatal(err)
	}

	actions := func(recs []AuditRecord) string {
		var a []string
		for _, r := range recs {
			a = append(a, r.Action)
		}
		return strings.Join(a, ",")
	}
	// The US head sees everything about themself, oldest first.
	recs, err := s.db.history(ctx, "user", head.ID, visibleChains(head))
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(recs); got != "user.create,session.login,user.settings,user.update" {
		t.Fatalf("own history = %s", got)
	}
	// A US delegate sees the same (same side).
	del := user(t, s, "us.delegate@parley.example")
	if recs, _ = s.db.history(ctx, "user", head.ID, visibleChains(del)); actions(recs) != "user.create,session.login,user.settings,user.update" {
		t.Fatalf("US delegate sees %s", actions(recs))
	}
	// CN and the secretariat (even an admin) see only the shared records.
	for _, email := range []string{"cn.head@parley.example", "admin@parley.example", "secretariat@parley.example"} {
		recs, err := s.db.history(ctx, "user", head.ID, visibleChains(user(t, s, email)))
		if err != nil {
			t.Fatal(err)
		}
		if got := actions(recs); got != "user.create,user.update" {
			t.Fatalf("%s sees %s, want only shared records", email, got)
		}
		for _, r := range recs {
			if r.Chain != ChainShared {
				t.Fatalf("%s sees a record on %s", email, r.Chain)
			}
		}
	}
	// UserHistory applies the account-page rule first.
	if _, err := s.UserHistory(ctx, user(t, s, "cn.head@parley.example"), head.ID); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN head UserHistory of a US account: %v, want not found", err)
	}
	recs, err = s.UserHistory(ctx, admin, head.ID)
	if err != nil || actions(recs) != "user.create,user.update" {
		t.Fatalf("admin UserHistory = %s (%v)", actions(recs), err)
	}
}

func TestHistoryOrderWithSubSecondTimes(t *testing.T) {
	// History promises oldest first. Records 400 ms apart within one second
	// must come back in the order they happened.
	s, c := newTestService(t)
	ctx := context.Background()
	head := user(t, s, "us.head@parley.example")
	c.advance(time.Minute) // a whole second: 09:01:00
	if err := s.UpdateSettings(ctx, head, head.Version, "zh", ""); err != nil {
		t.Fatal(err)
	}
	c.advance(400 * time.Millisecond) // 09:01:00.4
	head = user(t, s, head.Email)
	if err := s.UpdateSettings(ctx, head, head.Version, "zh", "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	c.advance(50 * time.Millisecond) // 09:01:00.45
	head = user(t, s, head.Email)
	if err := s.UpdateSettings(ctx, head, head.Version, "en", "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	recs, err := s.db.history(ctx, "user", head.ID, visibleChains(head))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].At.Before(recs[i-1].At) {
			var got []string
			for _, r := range recs {
				got = append(got, r.At.Format("15:04:05.000")+" "+r.Action)
			}
			t.Fatalf("History is not oldest first: %v", got)
		}
	}
	if len(recs) != 4 {
		t.Fatalf("history has %d records, want 4", len(recs))
	}
}

func TestVerifyAuditConsistentDuringConcurrentWrite(t *testing.T) {
	// "parley audit verify" may run next to a live server. A write that lands
	// between the verifier's read of audit_heads and its read of the records
	// leaves the database perfectly consistent, so it must not be reported as
	// tampering: both reads should see one snapshot.
	s, c := newTestService(t)
	ctx := context.Background()
	head := user(t, s, "us.head@parley.example")
	c.advance(time.Minute)
	usBefore := len(chainRecords(t, s, SideChain(head.SideID)))
	armed := false
	var writeErr error
	err := s.db.r.Callback().Query().After("gorm:query").Register("test:concurrent_write", func(g *gorm.DB) {
		if !armed || g.Statement.Table != "audit_heads" {
			return
		}
		armed = false
		// Another process appends to the US chain right after the heads were read.
		writeErr = s.UpdateSettings(ctx, head, head.Version, "zh", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	armed = true
	_, problems, err := s.db.VerifyAudit(ctx)
	if err != nil || writeErr != nil {
		t.Fatalf("verify %v, concurrent write %v", err, writeErr)
	}
	if armed {
		t.Fatal("test setup: the concurrent write was not injected")
	}
	if len(chainRecords(t, s, SideChain(head.SideID))) != usBefore+1 {
		t.Fatal("test setup: the concurrent write did not append to the US chain")
	}
	if len(problems) != 0 {
		t.Fatalf("an untampered database reported as bad after a concurrent write: %v", problems)
	}
	// And, quiet again, it verifies.
	if _, problems, err := s.db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify after: %v %v", problems, err)
	}
}
