package agenda

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley/parley/app"
)

// Tests for the rules an outside security review asked for. Each would fail
// on the code the review found.

// Bad text is refused on every kind of record, changes nothing, and what is
// saved is audited exactly as saved.
func TestBadTextRefusedEverywhereAndAuditedExactly(t *testing.T) {
	f := newAgFix(t)
	before := f.snap()
	in := f.input("x")
	in.Title = "\x00"
	_, err := f.s.CreateItem(f.ctx, f.usDel, in)
	wantField(t, err, "title", "field.control_chars")
	in.Title, in.Description = "Fine", "bad \xff byte"
	_, err = f.s.CreateItem(f.ctx, f.usDel, in)
	wantField(t, err, "description", "field.invalid_text")
	in.Title = "\u200B\u200B"
	_, err = f.s.CreateItem(f.ctx, f.usDel, in)
	wantField(t, err, "title", "field.required")
	it := f.tabled(f.usDel, "Hygiene")
	_, err = f.s.core.AddComment(f.ctx, f.cnDel, app.Ref{Kind: KindItem, ID: it.ID}, app.Shared, "\x00\x01")
	wantField(t, err, "body", "field.control_chars")
	err = f.s.Decide(f.ctx, f.cnHead, it.ID, it.Revision, Object, "\u202Ereversed")
	wantField(t, err, "reason", "field.control_chars")
	before = f.snap()
	_, err = f.s.ProposeAmendment(f.ctx, f.cnDel, it.ID, AmendmentInput{Title: "T", Description: "D\xc3", Rationale: "R"})
	wantField(t, err, "description", "field.invalid_text")
	f.unchanged("refused text", before)

	// Saved with a CRLF from the browser: stored and audited with "\n", byte for byte.
	in = f.input("x")
	in.Title, in.Description = "议程 🛰", "first line\r\nsecond line\t(tab)"
	got, err := f.s.CreateItem(f.ctx, f.usDel, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != "first line\nsecond line\t(tab)" {
		t.Fatalf("saved %q", got.Description)
	}
	recs := auditRecords(t, f.s)
	ch := changesOf(t, recs[len(recs)-1])
	if ch["title"] != got.Title || ch["description"] != got.Description {
		t.Fatalf("audited %q / %q, saved %q / %q", ch["title"], ch["description"], got.Title, got.Description)
	}
}

// Finding 1: the other side cannot rewrite an item. Only the proposing
// side's head accepts or declines an amendment; its author may withdraw it.
func TestOnlyTheProposingSideDecidesItsText(t *testing.T) {
	f := newAgFix(t)
	cnItem := f.tabled(f.cnDel, "CN item")
	f.decide(f.cnHead, cnItem.ID, Concur, "")
	a, err := f.s.ProposeAmendment(f.ctx, f.usDel, cnItem.ID, AmendmentInput{Title: "US wording", Description: "US text", Rationale: "Ours."})
	if err != nil {
		t.Fatal(err)
	}
	snap := f.snap()
	for _, who := range []*app.User{f.usDel, f.usHead, f.usObs, f.cnDel, f.cnObs, f.sec, f.admin} {
		wantCode(t, f.s.SettleAmendment(f.ctx, who, cnItem.ID, a.ID, a.Version, true, ""), app.EFORBIDDEN)
		wantCode(t, f.s.SettleAmendment(f.ctx, who, cnItem.ID, a.ID, a.Version, false, "no"), app.EFORBIDDEN)
	}
	f.unchanged("the other side settling", snap)
	it := f.get(f.cnHead, cnItem.ID)
	if it.Title != "CN item" || it.Revision != 1 || it.StandingFor(f.cn.ID) == nil {
		t.Fatalf("CN item changed: %q rev %d standing %+v", it.Title, it.Revision, it.Standing)
	}
	perms := PermissionsOnAmendment(f.usDel, it, a)
	if perms.Accept || perms.Decline || !perms.Withdraw {
		t.Fatalf("author's permissions %+v", perms)
	}
	if p := PermissionsOnAmendment(f.cnHead, it, a); !p.Accept || !p.Decline || p.Withdraw {
		t.Fatalf("CN head's permissions %+v", p)
	}
	// The CN head declines; a second US amendment is withdrawn by its author.
	if err := f.s.SettleAmendment(f.ctx, f.cnHead, cnItem.ID, a.ID, a.Version, false, "We keep our text."); err != nil {
		t.Fatal(err)
	}
	b, err := f.s.ProposeAmendment(f.ctx, f.usDel, cnItem.ID, AmendmentInput{Title: "US wording 2", Description: "US text", Rationale: "Again."})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.WithdrawAmendment(f.ctx, f.usHead, cnItem.ID, b.ID, b.Version), app.EFORBIDDEN)
	if err := f.s.WithdrawAmendment(f.ctx, f.usDel, cnItem.ID, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	// The secretariat decides the text of its own procedural items.
	proc := f.tabled(f.sec, "Procedural: order of business")
	c, err := f.s.ProposeAmendment(f.ctx, f.cnDel, proc.ID, AmendmentInput{Title: "Order of business", Description: "Shorter.", Rationale: "Time."})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.SettleAmendment(f.ctx, f.cnDel, proc.ID, c.ID, c.Version, true, ""), app.EFORBIDDEN)
	if err := f.s.SettleAmendment(f.ctx, f.sec, proc.ID, c.ID, c.Version, true, ""); err != nil {
		t.Fatal(err)
	}
}

// setRole changes an account's role as its head would, and returns it as the
// next request would load it.
func (f *agFix) setRole(head, u *app.User, role app.Role) *app.User {
	f.t.Helper()
	cur, err := f.s.core.GetUser(f.ctx, app.System, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.s.core.UpdateUser(f.ctx, head, u.ID, cur.Version, app.UserEdit{Email: cur.Email, Name: cur.Name, Role: role}); err != nil {
		f.t.Fatalf("set role: %v", err)
	}
	got, err := f.s.core.GetUser(f.ctx, app.System, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

// Finding 2: a delegate who wrote something and was then made an observer
// can no longer change it, nor settle, withdraw or translate anything.
func TestDemotedAuthorWritesNothing(t *testing.T) {
	f := newAgFix(t)
	cnItem := f.tabled(f.cnDel, "Demotion")
	own := f.tabled(f.usDel, "Own item")
	a, err := f.s.ProposeAmendment(f.ctx, f.usDel, cnItem.ID, AmendmentInput{Title: "Demotion", Description: "US text", Rationale: "Why."})
	if err != nil {
		t.Fatal(err)
	}
	c := f.comment(f.usDel, cnItem.ID, app.Shared, "A comment to correct later.")
	draft := f.draft(f.usDel, "A draft")
	demoted := f.setRole(f.usHead, f.usDel, app.RoleObserver)
	snap := f.snap()
	wantCode(t, f.s.core.EditComment(f.ctx, demoted, app.Ref{Kind: KindItem, ID: cnItem.ID}, c.ID, c.Version, "Changed after demotion."), app.EFORBIDDEN)
	wantCode(t, f.s.WithdrawAmendment(f.ctx, demoted, cnItem.ID, a.ID, a.Version), app.EFORBIDDEN)
	wantCode(t, f.s.SettleAmendment(f.ctx, demoted, cnItem.ID, a.ID, a.Version, true, ""), app.EFORBIDDEN)
	wantCode(t, f.s.TableItem(f.ctx, demoted, draft.ID, draft.Version), app.EFORBIDDEN)
	_, err = f.s.UpdateItem(f.ctx, demoted, own.ID, own.Version, f.input("Changed"))
	wantCode(t, err, app.EFORBIDDEN)
	wantCode(t, f.s.WithdrawItem(f.ctx, demoted, own.ID, own.Version), app.EFORBIDDEN)
	wantCode(t, f.s.SetTranslation(f.ctx, demoted, own.ID, own.Version, "译", ""), app.EFORBIDDEN)
	_, err = f.s.core.AddComment(f.ctx, demoted, app.Ref{Kind: KindItem, ID: own.ID}, app.Internal, "note")
	wantCode(t, err, app.EFORBIDDEN)
	_, err = f.s.ProposeAmendment(f.ctx, demoted, cnItem.ID, AmendmentInput{Title: "x", Description: "y", Rationale: "z"})
	wantCode(t, err, app.EFORBIDDEN)
	f.unchanged("a demoted author's writes", snap)
	if c.Editable(demoted, f.s.core.Now()) {
		t.Fatal("the view would offer a demoted author to edit")
	}
	// A demoted head decides nothing either.
	f.decide(f.usHead, cnItem.ID, Concur, "")
	exHead := f.setRole(f.admin, f.usHead, app.RoleDelegate)
	wantCode(t, f.s.WithdrawObjection(f.ctx, exHead, cnItem.ID), app.EFORBIDDEN)
	wantCode(t, f.s.Decide(f.ctx, exHead, cnItem.ID, 1, Object, "no"), app.EFORBIDDEN)
}

// Finding 7: an amendment's base is the revision it was written against, set
// by the server; a stale one cannot be accepted, and of an edit and an
// acceptance at the same moment exactly one wins.
func TestStaleAmendmentsAreRefused(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Base revision")
	a, err := f.s.ProposeAmendment(f.ctx, f.cnDel, it.ID, AmendmentInput{Title: "Base revision", Description: "CN text", Rationale: "R"})
	if err != nil {
		t.Fatal(err)
	}
	if a.BaseRevision != 1 {
		t.Fatalf("base revision %d", a.BaseRevision)
	}
	in := f.input("Base revision")
	in.Description = "US revision 2"
	cur, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, it.Version, in)
	if err != nil || cur.Revision != 2 {
		t.Fatalf("revise: %v", err)
	}
	snap := f.snap()
	wantMessage(t, f.s.SettleAmendment(f.ctx, f.usHead, it.ID, a.ID, a.Version, true, ""), app.ECONFLICT, "amendment.stale")
	f.unchanged("accepting a stale amendment", snap)
	if got := f.get(f.usHead, it.ID); got.Description != "US revision 2" {
		t.Fatalf("revision 2 overwritten: %q", got.Description)
	}
	if p := PermissionsOnAmendment(f.usHead, cur, a); p.Accept || !p.Decline || !p.Stale {
		t.Fatalf("permissions on a stale amendment %+v", p)
	}
	// Declining a stale amendment is still possible.
	if err := f.s.SettleAmendment(f.ctx, f.usHead, it.ID, a.ID, a.Version, false, "Overtaken."); err != nil {
		t.Fatal(err)
	}

	// The race: an edit and an acceptance at once.
	for i := 0; i < 8; i++ {
		it := f.tabled(f.usDel, fmt.Sprintf("Race %d", i))
		a, err := f.s.ProposeAmendment(f.ctx, f.cnDel, it.ID, AmendmentInput{Title: it.Title, Description: "CN text", Rationale: "R"})
		if err != nil {
			t.Fatal(err)
		}
		in := f.input(it.Title)
		in.Description = "US edit"
		errs := together(
			func() error { _, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, it.Version, in); return err },
			func() error { return f.s.SettleAmendment(f.ctx, f.usHead, it.ID, a.ID, a.Version, true, "") },
		)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if app.ErrorCode(err) != app.ECONFLICT {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		got := f.get(f.usHead, it.ID)
		if ok != 1 || got.Revision != 2 || len(f.revisions(f.usHead, it.ID)) != 2 {
			t.Fatalf("round %d: %d winners, revision %d", i, ok, got.Revision)
		}
	}
}

// Finding 11: the delegations whose concurrence an item needs are fixed when
// it is tabled; a delegation added later takes part only in later items.
func TestPartiesFixedAtTabling(t *testing.T) {
	f := newAgFix(t)
	before := f.tabled(f.usDel, "Tabled before the EU joined")
	f.decide(f.cnHead, before.ID, Concur, "")
	eu, err := f.s.core.CreateDelegation(f.ctx, f.admin, app.SideInput{Code: "EU", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	euHead, _, err := f.s.core.CreateUser(f.ctx, app.System, app.UserInput{Email: "eu.head@parley.example", Name: "Hanna Berg", SideID: eu.ID, Role: app.RoleHead, Password: "fjord-lantern-2024"})
	if err != nil {
		t.Fatal(err)
	}
	euHead, _ = f.s.core.GetUser(f.ctx, app.System, euHead.ID)
	it := f.get(euHead, before.ID)
	if it.IsParty(eu.ID) || !it.IsParty(f.us.ID) || !it.IsParty(f.cn.ID) {
		t.Fatalf("parties %v", it.Parties)
	}
	if PermissionsOn(euHead, it).Decide {
		t.Fatal("the EU head is offered a decision on an earlier item")
	}
	wantMessage(t, f.s.Decide(f.ctx, euHead, before.ID, 1, Object, "We were not there."), app.EFORBIDDEN, "agenda.not_a_party")
	f.decide(f.usHead, before.ID, Concur, "")
	if got := f.get(f.usHead, before.ID); got.Status != StatusAdopted {
		t.Fatalf("the two original delegations concurred; status %s", got.Status)
	}
	// An item tabled after the EU joined needs the EU too.
	after := f.tabled(f.usDel, "Tabled after the EU joined")
	f.decide(f.cnHead, after.ID, Concur, "")
	f.decide(f.usHead, after.ID, Concur, "")
	if got := f.get(f.usHead, after.ID); got.Status != StatusProposed || !got.IsParty(eu.ID) {
		t.Fatalf("without the EU: %s parties %v", got.Status, got.Parties)
	}
	a, err := f.s.Attention(f.ctx, euHead)
	if err != nil || len(a.Awaiting) != 1 || a.Awaiting[0].ID != after.ID {
		t.Fatalf("EU head awaits %v %v", a.Awaiting, err)
	}
	f.decide(euHead, after.ID, Concur, "")
	if got := f.get(f.usHead, after.ID); got.Status != StatusAdopted {
		t.Fatalf("all three concurred; status %s", got.Status)
	}
}

// Finding 8: tabling hides how often the draft was edited.
func TestTabledVersionTellsNothingOfTheDraft(t *testing.T) {
	f := newAgFix(t)
	seen := map[int64]bool{}
	for i := 0; i < 5; i++ {
		d := f.draft(f.usDel, fmt.Sprintf("Edited %d times", i))
		for j := 0; j < i; j++ {
			in := f.input(d.Title)
			in.Description = fmt.Sprintf("edit %d", j)
			var err error
			if d, err = f.s.UpdateItem(f.ctx, f.usDel, d.ID, d.Version, in); err != nil {
				t.Fatal(err)
			}
		}
		draftVersion := d.Version
		it := f.table(f.usDel, d.ID)
		if it.Version <= draftVersion+1 && i > 0 {
			// a jump of exactly one is possible but 1 in 2^30; five in a row is not
			seen[-1] = true
		}
		seen[it.Version] = true
		if it.PublicID == "" || !app.ValidPublicID(it.PublicID) {
			t.Fatalf("public id %q", it.PublicID)
		}
	}
	if seen[-1] || len(seen) != 5 {
		t.Fatalf("tabled versions %v", seen)
	}
	// A form loaded while it was a draft cannot overwrite the tabled item.
	d := f.draft(f.usDel, "Stale form")
	it := f.table(f.usDel, d.ID)
	_, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, d.Version, f.input("From the old form"))
	wantCode(t, err, app.ECONFLICT)
}

// Finding 6: an account an administrator creates in a delegation is pending
// until a head of that delegation confirms it, and sees nothing internal
// before then; so is one whose password an administrator resets.
func TestAdminCreatedMemberIsPendingUntilItsHeadConfirms(t *testing.T) {
	f := newAgFix(t)
	usDraft := f.itemID(demoUSDraft)
	f.comment(f.usDel, f.itemID(demoMeasures), app.Internal, "US internal: hold the line on spying.")
	spy, temp, err := f.s.core.CreateUser(f.ctx, f.admin, app.UserInput{Email: "spy@parley.example", Name: "New Observer", SideID: f.us.ID, Role: app.RoleObserver})
	if err != nil || temp == "" {
		t.Fatal(err)
	}
	if !spy.Pending {
		t.Fatal("an admin-created delegation account is not pending")
	}
	spy, _ = f.s.core.GetUser(f.ctx, app.System, spy.ID)
	checkSeesNoInternal := func(u *app.User) {
		t.Helper()
		_, err := f.s.GetItem(f.ctx, u, usDraft)
		wantCode(t, err, app.ENOTFOUND)
		thread := f.thread(u, f.itemID(demoMeasures))
		for _, c := range thread {
			if c.Visibility == app.Internal {
				t.Fatalf("pending member sees internal note %q", c.Body)
			}
		}
		list, err := f.s.ListItems(f.ctx, u, ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range list.Items {
			if !it.Tabled() {
				t.Fatalf("pending member lists draft %q", it.Title)
			}
		}
		if list.Counts[StatusDraft] != 0 {
			t.Fatalf("pending member counts %d drafts", list.Counts[StatusDraft])
		}
		chains, _ := f.s.core.AuditChains(f.ctx, u)
		if len(chains) != 1 || chains[0].Chain != app.ChainShared {
			t.Fatalf("pending member sees chains %v", chainNames(chains))
		}
		for _, r := range mustHistory(t, f.s, u, f.itemID(demoMeasures)) {
			if r.Chain != app.ChainShared {
				t.Fatalf("pending member sees %s record %s", r.Chain, r.Action)
			}
		}
		a, _ := f.s.Attention(f.ctx, u)
		if len(a.Drafts) != 0 {
			t.Fatal("pending member's dashboard shows drafts")
		}
	}
	checkSeesNoInternal(spy)
	// Even as a head, a pending account writes and decides nothing.
	spyHead, _, err := f.s.core.CreateUser(f.ctx, f.admin, app.UserInput{Email: "spyhead@parley.example", Name: "New Head", SideID: f.us.ID, Role: app.RoleHead})
	if err != nil {
		t.Fatal(err)
	}
	spyHead, _ = f.s.core.GetUser(f.ctx, app.System, spyHead.ID)
	checkSeesNoInternal(spyHead)
	_, err = f.s.CreateItem(f.ctx, spyHead, f.input("From a pending head"))
	wantCode(t, err, app.EFORBIDDEN)
	wantCode(t, f.s.Decide(f.ctx, spyHead, f.itemID(demoRules), 1, Concur, ""), app.EFORBIDDEN)
	wantCode(t, f.s.core.ConfirmMember(f.ctx, spyHead, spy.ID, spy.Version), app.ENOTFOUND)
	if _, err := f.s.core.ListUsers(f.ctx, spyHead, app.UserFilter{}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a pending head lists accounts: %v", err)
	}
	// The admin and the other side's head cannot confirm; the US head sees it waiting and confirms it.
	wantCode(t, f.s.core.ConfirmMember(f.ctx, f.admin, spy.ID, spy.Version), app.EFORBIDDEN)
	wantCode(t, f.s.core.ConfirmMember(f.ctx, f.cnHead, spy.ID, spy.Version), app.ENOTFOUND)
	pending, err := f.s.core.PendingMembers(f.ctx, f.usHead, 20)
	if err != nil || len(pending) != 2 {
		t.Fatalf("US head sees %d pending (%v)", len(pending), err)
	}
	if p, _ := f.s.core.PendingMembers(f.ctx, f.cnHead, 20); len(p) != 0 {
		t.Fatal("the CN head sees US pending accounts")
	}
	before := auditRecords(t, f.s)
	if err := f.s.core.ConfirmMember(f.ctx, f.usHead, spy.ID, spy.Version); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, f.s, before, app.ChainShared, "user.confirm", spy.ID, f.usHead)
	spy, _ = f.s.core.GetUser(f.ctx, app.System, spy.ID)
	if _, err := f.s.GetItem(f.ctx, spy, usDraft); err != nil {
		t.Fatalf("confirmed member cannot see the draft: %v", err)
	}
	// A head creates members of their own delegation directly.
	direct, _, err := f.s.core.CreateUser(f.ctx, f.usHead, app.UserInput{Email: "direct@parley.example", Name: "Direct", SideID: f.us.ID, Role: app.RoleDelegate})
	if err != nil || direct.Pending {
		t.Fatalf("head-created account pending=%v (%v)", direct != nil && direct.Pending, err)
	}
	// An administrator's password reset hands the account to whoever holds
	// the temporary password: it is pending again.
	obs, _ := f.s.core.GetUser(f.ctx, app.System, f.usObs.ID)
	if _, err := f.s.core.ResetPassword(f.ctx, f.admin, obs.ID, obs.Version); err != nil {
		t.Fatal(err)
	}
	obs, _ = f.s.core.GetUser(f.ctx, app.System, f.usObs.ID)
	if !obs.Pending {
		t.Fatal("an admin's reset left the account confirmed")
	}
	checkSeesNoInternal(obs)
	if _, err := f.s.core.ResetPassword(f.ctx, f.usHead, obs.ID, obs.Version); err != nil {
		t.Fatal(err)
	}
	// The secretariat has no heads: its accounts are the administrators' to make.
	sec, _, err := f.s.core.CreateUser(f.ctx, f.admin, app.UserInput{Email: "sec2@parley.example", Name: "Sec Two", SideID: f.secSide.ID, Role: app.RoleSecretariat})
	if err != nil || sec.Pending {
		t.Fatalf("secretariat account pending=%v (%v)", sec != nil && sec.Pending, err)
	}
}

func mustHistory(t *testing.T, s *Service, u *app.User, itemID int64) []app.AuditRecord {
	t.Helper()
	_, recs, err := s.core.History(context.Background(), u, app.Ref{Kind: KindItem, ID: itemID})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
