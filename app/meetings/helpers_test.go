package meetings

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Test helpers for the meetings: a fresh temp-file database per test with
// the demo working group, its agenda and its meetings, a clock the test
// moves, and readers of the audit trail.

var fastArgon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}

// testNow is the day the tests run on: early December 2026, so that the
// US daylight-saving changes of 2027 lie ahead.
var testNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) advance(d time.Duration) { c.set(c.now().Add(d)) }

// env is the demo working group with its people at hand.
type env struct {
	t     *testing.T
	ctx   context.Context
	core  *app.Service
	ag    *agenda.Service
	mt    *Service
	clock *testClock

	usHead, usDel, usObs, cnHead, cnDel, cnObs, sec, admin *app.User
	us, cn, secSide                                        *app.Side

	// later is a milestone in December 2027, after both US changes of 2027.
	later *Milestone
}

// newEnv opens a fresh database and seeds the demo (core, agenda, meetings)
// with the clock at testNow.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := app.OpenDB(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	core := app.NewService(db)
	c := &testClock{t: testNow}
	core.Now = c.now
	core.Argon = fastArgon
	ag := agenda.New(core)
	mt := New(core, ag)
	if seeded, err := mt.SeedDemo(ctx); err != nil || !seeded {
		t.Fatalf("seed demo: %v %v", seeded, err)
	}
	e := &env{t: t, ctx: ctx, core: core, ag: ag, mt: mt, clock: c}
	e.reload()
	e.us, e.cn, e.secSide = e.side("US"), e.side("CN"), e.side("SEC")
	e.later, err = mt.CreateMilestone(ctx, e.sec, MilestoneInput{NameEN: "Annual review", NameZH: "年度审议",
		Start: "2027-12-15T09:00", Zone: beijing})
	if err != nil {
		t.Fatalf("milestone: %v", err)
	}
	c.advance(time.Minute)
	return e
}

// reload reads every demo account afresh, as the next request would.
func (e *env) reload() {
	e.usHead = e.user("us.head@parley.example")
	e.usDel = e.user("us.delegate@parley.example")
	e.usObs = e.user("us.observer@parley.example")
	e.cnHead = e.user("cn.head@parley.example")
	e.cnDel = e.user("cn.delegate@parley.example")
	e.cnObs = e.user("cn.observer@parley.example")
	e.sec = e.user("secretariat@parley.example")
	e.admin = e.user("admin@parley.example")
}

func (e *env) user(email string) *app.User {
	e.t.Helper()
	u, err := e.core.FindUserByEmail(e.ctx, app.System, email)
	if err != nil {
		e.t.Fatalf("user %s: %v", email, err)
	}
	return u
}

func (e *env) side(code string) *app.Side {
	e.t.Helper()
	sd, err := e.core.SideByCode(e.ctx, app.System, code)
	if err != nil {
		e.t.Fatalf("side %s: %v", code, err)
	}
	return sd
}

// newMember creates an account on a side as creator (a head makes a
// confirmed member of their own delegation; an admin makes a pending one).
func (e *env) newMember(creator *app.User, email, name string, sd *app.Side, role app.Role) *app.User {
	e.t.Helper()
	if _, _, err := e.core.CreateUser(e.ctx, creator, app.UserInput{Email: email, Name: name, SideID: sd.ID, Role: role,
		Password: "correct horse battery staple 42"}); err != nil {
		e.t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return e.user(email)
}

// input is a valid new-meeting form: in person in Washington, 90 minutes,
// before the December 2027 milestone.
func (e *env) input() MeetingInput {
	return MeetingInput{Kind: "working_level", TitleEN: "Working-level meeting", TitleZH: "工作层会议", Format: InPerson,
		Venue: "Department of State, Washington", Zone: washington, DurationMinutes: 90, MilestoneID: e.later.ID}
}

func (e *env) create(in MeetingInput) *Meeting {
	e.t.Helper()
	m, err := e.mt.Create(e.ctx, e.sec, in)
	if err != nil {
		e.t.Fatalf("Create: %v", err)
	}
	return m
}

// get reads a meeting as the secretariat.
func (e *env) get(id int64) *Meeting {
	e.t.Helper()
	m, err := e.mt.Get(e.ctx, e.sec, id)
	if err != nil {
		e.t.Fatalf("Get(%d): %v", id, err)
	}
	return m
}

func (e *env) addSlot(m *Meeting, start, zone string) *Slot {
	e.t.Helper()
	sl, err := e.mt.AddSlot(e.ctx, e.sec, m.ID, start, zone)
	if err != nil {
		e.t.Fatalf("AddSlot(%s %s): %v", start, zone, err)
	}
	return sl
}

func (e *env) confirm(m *Meeting, sl *Slot) *Meeting {
	e.t.Helper()
	if err := e.mt.Confirm(e.ctx, e.sec, m.ID, e.get(m.ID).Version, sl.ID); err != nil {
		e.t.Fatalf("Confirm: %v", err)
	}
	return e.get(m.ID)
}

// scheduled creates a meeting confirmed at 09:00 Washington on 2027-01-14.
func (e *env) scheduled() *Meeting {
	e.t.Helper()
	m := e.create(e.input())
	return e.confirm(m, e.addSlot(m, "2027-01-14T09:00", washington))
}

func (e *env) answer(u *app.User, m *Meeting, in ...AnswerInput) {
	e.t.Helper()
	if err := e.mt.Answer(e.ctx, u, m.ID, in); err != nil {
		e.t.Fatalf("Answer(%s): %v", u.Email, err)
	}
}

func (e *env) view(actor *app.User, m *Meeting) *View {
	e.t.Helper()
	v, err := e.mt.MeetingView(e.ctx, actor, m.PublicID, app.ThreadCursor{})
	if err != nil {
		e.t.Fatalf("MeetingView(%s): %v", actor.Email, err)
	}
	return v
}

// history reads a meeting's whole history as actor, oldest first.
func (e *env) history(actor *app.User, m *Meeting) []app.AuditRecord {
	e.t.Helper()
	var out []app.AuditRecord
	for page := 1; ; page++ {
		_, recs, err := e.mt.History(e.ctx, actor, m.PublicID, page)
		if err != nil {
			e.t.Fatalf("History(%s): %v", actor.Email, err)
		}
		out = append(out, recs.Items...)
		if page >= recs.Pages() {
			return out
		}
	}
}

// countAudit counts the audit records of an action on a meeting, on every chain.
func (e *env) countAudit(m *Meeting, action string) int64 {
	e.t.Helper()
	return e.count("SELECT COUNT(*) FROM audit_records WHERE object_type = 'meeting' AND object_id = ? AND action = ?", m.ID, action)
}

func (e *env) count(query string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.core.DB().Reader().QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// verify checks that every audit chain verifies.
func (e *env) verify() {
	e.t.Helper()
	if _, problems, err := e.core.DB().VerifyAudit(e.ctx); err != nil || len(problems) > 0 {
		e.t.Fatalf("the audit trail does not verify: %v %v", problems, err)
	}
}

// byTitle finds a meeting by its English title.
func (e *env) byTitle(title string) *Meeting {
	e.t.Helper()
	var id int64
	if err := e.core.DB().Reader().QueryRow("SELECT id FROM meetings WHERE title_en = ?", title).Scan(&id); err != nil {
		e.t.Fatalf("meeting %q: %v", title, err)
	}
	return e.get(id)
}

// The demo's meetings.
const (
	demoPast     = "Working group meeting on the sidelines of the dialogue"
	demoInformal = "Informal meeting before the next dialogue"
	demoDialogue = "Next Strategic Security Dialogue"
)

// itemID finds an agenda item by its title.
func (e *env) itemID(title string) int64 {
	e.t.Helper()
	var id int64
	if err := e.core.DB().Reader().QueryRow("SELECT id FROM agenda_items WHERE title = ?", title).Scan(&id); err != nil {
		e.t.Fatalf("item %q: %v", title, err)
	}
	return id
}

func (e *env) itemStatus(id int64) agenda.Status {
	e.t.Helper()
	it, err := e.ag.GetItem(e.ctx, e.sec, id)
	if err != nil {
		e.t.Fatalf("GetItem(%d): %v", id, err)
	}
	return it.Status
}

// adoptedItem has the Chinese delegation propose an item that both heads
// adopt, and returns its id.
func (e *env) adoptedItem(title string) int64 {
	e.t.Helper()
	cats, err := e.ag.Categories(e.ctx, e.sec, false)
	if err != nil || len(cats) == 0 {
		e.t.Fatalf("categories: %v", err)
	}
	it, err := e.ag.CreateItem(e.ctx, e.cnDel, agenda.ItemInput{Title: title, Description: "Text of " + title,
		CategoryID: cats[0].ID, DurationMinutes: 30, Language: "en"})
	if err != nil {
		e.t.Fatalf("CreateItem: %v", err)
	}
	if err := e.ag.TableItem(e.ctx, e.cnDel, it.ID, it.Version); err != nil {
		e.t.Fatalf("TableItem: %v", err)
	}
	for _, head := range []*app.User{e.cnHead, e.usHead} {
		cur, err := e.ag.GetItem(e.ctx, head, it.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		if err := e.ag.Decide(e.ctx, head, it.ID, cur.Revision, agenda.Concur, ""); err != nil {
			e.t.Fatalf("Decide(%s): %v", head.Email, err)
		}
	}
	if st := e.itemStatus(it.ID); st != agenda.StatusAdopted {
		e.t.Fatalf("item %q is %s, want adopted", title, st)
	}
	return it.ID
}

func (e *env) addLine(m *Meeting, in LineInput) *Meeting {
	e.t.Helper()
	if err := e.mt.AddLine(e.ctx, e.sec, m.ID, e.get(m.ID).Version, in); err != nil {
		e.t.Fatalf("AddLine(%+v): %v", in, err)
	}
	return e.get(m.ID)
}

func (e *env) agendaOf(actor *app.User, m *Meeting) *AgendaView {
	e.t.Helper()
	v, err := e.mt.Agenda(e.ctx, actor, m.PublicID)
	if err != nil {
		e.t.Fatalf("Agenda(%s): %v", actor.Email, err)
	}
	return v
}

func (e *env) minutesOf(actor *app.User, m *Meeting) *MinutesView {
	e.t.Helper()
	v, err := e.mt.Minutes(e.ctx, actor, m.PublicID)
	if err != nil {
		e.t.Fatalf("Minutes(%s): %v", actor.Email, err)
	}
	return v
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

// wantMessage checks an error's code and message key.
func wantMessage(t *testing.T, err error, code, key string) {
	t.Helper()
	wantCode(t, err, code)
	if got := app.ErrorMessage(err); got != key {
		t.Fatalf("error message = %q (err %v), want %q", got, err, key)
	}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("error = %v, want EINVALID with %s=%s", err, field, key)
	}
	if got := app.FieldErrors(err)[field]; got != key {
		t.Fatalf("field %q = %q (all: %v), want %q", field, got, app.FieldErrors(err), key)
	}
}

func changesOf(t *testing.T, r app.AuditRecord) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Changes), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// together runs fns at the same moment and returns their errors.
func together(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i, fn := range fns {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}
