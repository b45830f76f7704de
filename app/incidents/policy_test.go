package incidents

import (
	"fmt"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// The accounts of a working group, built in memory: the rules are decided
// on the actor as loaded, so no database is needed to test them.
type people struct {
	usHead, usDel, usObs, usPending, cnHead, cnDel, cnObs, cnPending, sec, secObs, disabled *app.User
}

const (
	secID, usID, cnID int64 = 1, 2, 3
)

func newPeople() people {
	sides := map[int64]*app.Side{
		secID: {ID: secID, Code: "SEC", Kind: app.KindSecretariat},
		usID:  {ID: usID, Code: "US", Kind: app.KindDelegation},
		cnID:  {ID: cnID, Code: "CN", Kind: app.KindDelegation},
	}
	n := int64(0)
	u := func(side int64, role app.Role, pending bool) *app.User {
		n++
		return &app.User{ID: n, SideID: side, Side: sides[side], Role: role, Pending: pending,
			Email: fmt.Sprintf("u%d@parley.example", n)}
	}
	off := time.Now()
	dis := u(usID, app.RoleDelegate, false)
	dis.DisabledAt = &off
	return people{
		usHead: u(usID, app.RoleHead, false), usDel: u(usID, app.RoleDelegate, false), usObs: u(usID, app.RoleObserver, false),
		usPending: u(usID, app.RoleDelegate, true),
		cnHead:    u(cnID, app.RoleHead, false), cnDel: u(cnID, app.RoleDelegate, false), cnObs: u(cnID, app.RoleObserver, false),
		cnPending: u(cnID, app.RoleDelegate, true),
		sec:       u(secID, app.RoleSecretariat, false), secObs: u(secID, app.RoleObserver, false), disabled: dis,
	}
}

func (p people) all() map[string]*app.User {
	return map[string]*app.User{"us.head": p.usHead, "us.delegate": p.usDel, "us.observer": p.usObs, "us.pending": p.usPending,
		"cn.head": p.cnHead, "cn.delegate": p.cnDel, "cn.observer": p.cnObs, "cn.pending": p.cnPending,
		"secretariat": p.sec, "sec.observer": p.secObs, "disabled": p.disabled}
}

// A CN report to the US side.
func cnReport(status Status, tlp TLP) *Incident {
	return &Incident{ID: 1, ReportingSideID: cnID, AddressedSideID: usID, Status: status, TLP: tlp}
}

func TestWhoSeesAnIncident(t *testing.T) {
	p := newPeople()
	everyone := []string{"us.head", "us.delegate", "us.observer", "us.pending", "cn.head", "cn.delegate", "cn.observer",
		"cn.pending", "secretariat", "sec.observer"}
	confirmed := []string{"us.head", "us.delegate", "us.observer", "cn.head", "cn.delegate", "cn.observer", "secretariat",
		"sec.observer"}
	cnOnly := []string{"cn.head", "cn.delegate", "cn.observer"}
	for _, c := range []struct {
		status    Status
		tlp       TLP
		recipient string // a named recipient of a RED incident
		want      []string
	}{
		{StatusDraft, TLPClear, "", cnOnly},
		{StatusDraft, TLPRed, "us.head", cnOnly},
		{StatusReported, TLPClear, "", everyone},
		{StatusResponded, TLPGreen, "", everyone},
		{StatusReported, TLPAmber, "", confirmed},
		{StatusClosed, TLPAmberStrict, "", confirmed},
		{StatusReported, TLPRed, "", cnOnly},
		{StatusReported, TLPRed, "us.head", append([]string{"us.head"}, cnOnly...)},
		{StatusReported, TLPRed, "secretariat", append([]string{"secretariat"}, cnOnly...)},
		{StatusReported, TLPRed, "us.pending", cnOnly}, // a pending member is no recipient
		{StatusReported, "PURPLE", "", cnOnly},
	} {
		inc := cnReport(c.status, c.tlp)
		want := map[string]bool{}
		for _, w := range c.want {
			want[w] = true
		}
		for name, u := range p.all() {
			if got := canSee(u, inc, name == c.recipient); got != want[name] {
				t.Errorf("%s %s (recipient %q): %s sees it: %v, want %v", c.status, c.tlp, c.recipient, name, got, want[name])
			}
		}
	}
	if canSee(nil, cnReport(StatusReported, TLPClear), false) {
		t.Error("no one signed in sees an incident")
	}
}

func TestWhoMovesAnIncident(t *testing.T) {
	p := newPeople()
	for _, c := range []struct {
		from, to   Status
		bothAgreed bool
		want       []string
	}{
		{StatusDraft, StatusReported, false, []string{"cn.head", "cn.delegate"}},
		{StatusReported, StatusAcknowledged, false, []string{"us.head", "us.delegate"}},
		{StatusAcknowledged, StatusInvestigating, false, []string{"us.head", "us.delegate"}},
		{StatusAcknowledged, StatusResponded, false, []string{"us.head", "us.delegate"}},
		{StatusInvestigating, StatusResponded, false, []string{"us.head", "us.delegate"}},
		{StatusResponded, StatusClosed, false, []string{"cn.head"}},
		{StatusReported, StatusClosed, true, []string{"cn.head", "secretariat"}},
		{StatusDraft, StatusClosed, true, nil},
		{StatusDraft, StatusAcknowledged, false, nil},
		{StatusReported, StatusResponded, false, nil},
		{StatusClosed, StatusReported, false, nil},
		{StatusClosed, StatusClosed, true, nil},
		{StatusResponded, StatusDraft, false, nil},
	} {
		want := map[string]bool{}
		for _, w := range c.want {
			want[w] = true
		}
		for name, u := range p.all() {
			if got := canMove(u, cnReport(c.from, TLPAmber), c.to, c.bothAgreed); got != want[name] {
				t.Errorf("%s → %s (both agreed %v): %s may: %v, want %v", c.from, c.to, c.bothAgreed, name, got, want[name])
			}
		}
	}
}

// Each delegation sets its own positions, never the other's; observers,
// pending members, the secretariat and disabled accounts set none; the
// secretariat adds its note beside them.
func TestPositionsAreEachSidesOwn(t *testing.T) {
	p := newPeople()
	inc := cnReport(StatusAcknowledged, TLPGreen)
	for name, u := range p.all() {
		for _, side := range []int64{usID, cnID, secID} {
			want := side != secID && u.SideID == side && (u.Role == app.RoleHead || u.Role == app.RoleDelegate) &&
				!u.Pending && !u.Disabled()
			if got := canSetPosition(u, inc, side); got != want {
				t.Errorf("%s sets side %d's position: %v, want %v", name, side, got, want)
			}
			wantOfficial := want && u.Role == app.RoleHead
			if got := canSetOfficialPosition(u, inc, side); got != wantOfficial {
				t.Errorf("%s sets side %d's official position: %v, want %v", name, side, got, wantOfficial)
			}
		}
		if got, want := canAddSecretariatNote(u, inc), name == "secretariat"; got != want {
			t.Errorf("%s adds the secretariat's note: %v, want %v", name, got, want)
		}
	}
	for _, st := range []Status{StatusDraft, StatusClosed} {
		if canSetPosition(p.usHead, cnReport(st, TLPGreen), usID) {
			t.Errorf("a position is set on a %s incident", st)
		}
	}
}

func TestMarkingAndExport(t *testing.T) {
	if !TLPRed.Lowers(TLPAmber) || TLPAmber.Lowers(TLPAmberStrict) || TLPClear.Lowers(TLPClear) || TLP("X").Valid() {
		t.Fatal("the markings are not ordered CLEAR < GREEN < AMBER < AMBER+STRICT < RED")
	}
	if TLPAmberStrict.Label() != "TLP:AMBER+STRICT" || TLPAmberStrict.MessageKey() != "tlp.amber_strict" ||
		TLPClear.MessageKey() != "tlp.clear" || TLP("X").MessageKey() != "" {
		t.Fatal("labels and message keys")
	}
	p := newPeople()
	for name, u := range p.all() {
		if got, want := canChangeTLP(u, cnReport(StatusReported, TLPAmber)), name == "cn.head" || name == "cn.delegate"; got != want {
			t.Errorf("%s changes the marking: %v, want %v", name, got, want)
		}
		for _, tlp := range TLPs {
			inc := cnReport(StatusReported, tlp)
			want := canSee(u, inc, false) && (tlp.Level() < TLPAmber.Level() || u.InternalSideID() == cnID)
			if got := canExport(u, inc, false); got != want {
				t.Errorf("%s exports a %s incident: %v, want %v", name, tlp, got, want)
			}
		}
	}
	if !canEditDraft(p.cnDel, cnReport(StatusDraft, TLPRed)) || canEditDraft(p.cnDel, cnReport(StatusReported, TLPRed)) ||
		canEditDraft(p.usHead, cnReport(StatusDraft, TLPClear)) || canEditDraft(p.cnObs, cnReport(StatusDraft, TLPClear)) {
		t.Fatal("only the reporting side's writers edit a draft")
	}
}
