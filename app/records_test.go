package app

import (
	"context"
	"testing"
)

// A kind of object that exists only in this test: the record parts serve it
// — thread, revisions, translation, two-sided decisions, history — through
// its owner alone, with no line of shared code naming it.

const kindMemo Kind = "test_memo"

type memo struct {
	vis    Visibility
	side   int64
	rev    int
	locked bool // no more comments or translations
}

type memoOwner struct{ memos map[int64]*memo }

func (o memoOwner) Record(_ context.Context, actor *User, id int64) (*Record, error) {
	m, ok := o.memos[id]
	if !ok || (m.vis == Internal && m.side != actor.InternalSideID()) {
		return nil, ErrNotFound
	}
	return &Record{Ref: Ref{Kind: kindMemo, ID: id}, Visibility: m.vis, SideID: m.side, Title: "memo", Revision: m.rev,
		CanComment: !m.locked, CanTranslate: !m.locked && canWrite(actor)}, nil
}

func TestRecordPartsServeANewKindThroughItsOwner(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	us, cn := side(t, s, "US"), side(t, s, "CN")
	usHead, usDel := user(t, s, "us.head@parley.example"), user(t, s, "us.delegate@parley.example")
	cnHead, cnDel := user(t, s, "cn.head@parley.example"), user(t, s, "cn.delegate@parley.example")
	owner := memoOwner{memos: map[int64]*memo{1: {vis: Shared, side: us.ID, rev: 1}, 2: {vis: Internal, side: us.ID, rev: 1}}}
	s.Register(kindMemo, owner)
	shared, internal := Ref{Kind: kindMemo, ID: 1}, Ref{Kind: kindMemo, ID: 2}

	// Thread: shared comments for all, internal notes for their side, nothing about an internal memo for others.
	if _, err := s.AddComment(ctx, usDel, shared, Internal, "US note"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddComment(ctx, cnDel, shared, Shared, "CN comment"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddComment(ctx, usDel, internal, Shared, "shared on internal"); FieldErrors(err)["visibility"] == "" {
		t.Fatalf("a shared comment on an internal memo: %v", err)
	}
	if cs, err := s.Comments(ctx, cnHead, shared); err != nil || len(cs) != 1 || cs[0].Body != "CN comment" {
		t.Fatalf("CN reads %+v %v", cs, err)
	}
	if _, err := s.Comments(ctx, cnHead, internal); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN reads the internal memo's thread: %v", err)
	}
	if _, err := s.AddComment(ctx, usDel, Ref{Kind: "no_such_kind", ID: 1}, Shared, "x"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("an unregistered kind: %v", err)
	}

	// Revisions and a translation tied to the current one.
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.AddRevision(shared, 1, "Memo", "first", usDel.ID, nil); err != nil {
			return err
		}
		return tx.AddRevision(shared, 2, "Memo", "second", usDel.ID, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	owner.memos[1].rev = 2
	if rs, err := s.Revisions(ctx, cnDel, shared); err != nil || len(rs) != 2 || rs[1].Body != "second" {
		t.Fatalf("revisions %+v %v", rs, err)
	}
	if _, err := s.Revisions(ctx, cnDel, internal); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN reads the internal memo's revisions: %v", err)
	}
	if err := s.SetTranslation(ctx, cnDel, shared, TranslationInput{Language: "zh", Title: "备忘录", Body: "第二版"}); err != nil {
		t.Fatal(err)
	}
	tr, err := s.Translation(ctx, usHead, shared)
	if err != nil || tr == nil || tr.Revision != 2 || tr.Stale(2) || !tr.Stale(3) {
		t.Fatalf("translation %+v %v", tr, err)
	}
	if err := s.SetTranslation(ctx, cnDel, shared, TranslationInput{Language: "zh", Title: "再译", Version: 0}); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a second first translation: %v", err)
	}
	owner.memos[1].locked = true
	if err := s.SetTranslation(ctx, cnDel, shared, TranslationInput{Language: "zh", Title: "锁", Version: 1}); ErrorCode(err) != EINVALID {
		t.Fatalf("translating a memo its owner closed: %v", err)
	}
	if _, err := s.AddComment(ctx, cnDel, shared, Shared, "late"); ErrorCode(err) != EFORBIDDEN {
		t.Fatalf("commenting on a memo its owner closed: %v", err)
	}

	// Two-sided decisions: parties fixed, each head for their side, all agreed once both have.
	const approve DecisionKind = "approve"
	allAgreed := func() bool {
		cond, args := AllPartiesDecided(kindMemo, "1", "2", approve)
		return countRows(t, s, "SELECT COUNT(*) WHERE "+cond, args...) == 1
	}
	decide := func(head *User) {
		t.Helper()
		if err := s.Write(ctx, func(tx *Tx) error {
			return tx.Decide(head, shared, 2, approve, "", Audit{Action: "memo.approve", ObjectType: string(kindMemo),
				ObjectID: 1, Visibility: Shared})
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Write(ctx, func(tx *Tx) error { return tx.FixParties(shared) }); err != nil {
		t.Fatal(err)
	}
	rec, err := owner.Record(ctx, cnHead, 1)
	if err != nil {
		t.Fatal(err)
	}
	if parties, standing, _ := s.PartiesAndStanding(ctx, cnHead, rec); len(parties) != 2 || len(standing) != 0 {
		t.Fatalf("parties %v, standing %v", parties, standing)
	}
	decide(usHead)
	if allAgreed() {
		t.Fatal("agreed with one side only")
	}
	decide(cnHead)
	if !allAgreed() {
		t.Fatal("both sides approved but not all agreed")
	}
	standing, err := s.StandingOn(ctx, cnHead, []*Record{rec})
	if err != nil || len(standing[1]) != 2 || standing[1].For(cn.ID) == nil {
		t.Fatalf("standing %+v %v", standing, err)
	}
	if _, both, _ := s.PartiesAndStanding(ctx, cnHead, rec); len(both) != 2 {
		t.Fatalf("parties and standing: %v", both)
	}
	owner.memos[1].rev = 3
	rec3, _ := owner.Record(ctx, cnHead, 1)
	if stale, _ := s.StandingOn(ctx, cnHead, []*Record{rec3}); len(stale[1]) != 0 {
		t.Fatal("decisions on revision 2 stand on revision 3")
	}
	// The "…Of" methods check the record they are given against the rule.
	secret, _ := owner.Record(ctx, usHead, 2)
	if _, err := s.StandingOn(ctx, cnHead, []*Record{secret}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN given the US-internal memo's record: %v", err)
	}
	if _, err := s.ThreadOf(ctx, cnHead, secret, ThreadCursor{}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN reads the US-internal memo's thread through ThreadOf: %v", err)
	}

	// History: what the actor's side may see, through the owner.
	_, recs, err := s.History(ctx, cnHead, shared)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, r := range recs {
		actions[r.Action]++
		if r.Chain != ChainShared && r.Chain != SideChain(cn.ID) {
			t.Fatalf("CN sees a record on %s", r.Chain)
		}
	}
	if actions["comment.add"] != 1 || actions["translation.set"] != 1 || actions["memo.approve"] != 2 {
		t.Fatalf("CN's history of the memo: %v", actions)
	}
	if _, _, err := s.History(ctx, cnHead, internal); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN reads the internal memo's history: %v", err)
	}
}

// A kind that keeps its own chains: what every side could otherwise read
// about an object goes to the object's chain, which its history reads for
// whoever its owner lets see it, and which no audit page lists.
const kindSecret Kind = "test_secret"

type secretOwner struct{ audience map[int64]bool } // user ids who may see secret 1

func (o secretOwner) Record(_ context.Context, actor *User, id int64) (*Record, error) {
	if id != 1 || !o.audience[actor.ID] {
		return nil, ErrNotFound
	}
	return &Record{Ref: Ref{Kind: kindSecret, ID: id}, Visibility: Shared, Title: "secret", CanComment: true}, nil
}

func TestAKindKeepsItsOwnChains(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	usDel, cnHead, cnDel := user(t, s, "us.delegate@parley.example"), user(t, s, "cn.head@parley.example"),
		user(t, s, "cn.delegate@parley.example")
	s.KeepOwnChains(kindSecret)
	s.Register(kindSecret, secretOwner{audience: map[int64]bool{usDel.ID: true, cnHead.ID: true}})
	ref := Ref{Kind: kindSecret, ID: 1}
	if _, err := s.AddComment(ctx, cnHead, ref, Shared, "for the audience"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddComment(ctx, usDel, ref, Internal, "US only"); err != nil {
		t.Fatal(err)
	}
	err := s.Write(ctx, func(tx *Tx) error {
		return tx.Audit(usDel, Audit{Action: "secret.mark", ObjectType: string(kindSecret), ObjectID: 1, Visibility: Shared,
			Changes: map[string]any{"marking": "RED"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	chains := func(who *User) map[string]int {
		t.Helper()
		_, recs, err := s.History(ctx, who, ref)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, r := range recs {
			out[r.Chain]++
		}
		return out
	}
	own := ObjectChain(ref)
	if got := chains(cnHead); got[own] != 2 || len(got) != 1 {
		t.Errorf("the CN head (in the audience) reads %v, want the object's two records", got)
	}
	if got := chains(usDel); got[own] != 2 || got[SideChain(usDel.SideID)] != 1 || len(got) != 2 {
		t.Errorf("the US delegate reads %v, want the object's two records and the US note", got)
	}
	if _, _, err := s.History(ctx, cnDel, ref); ErrorCode(err) != ENOTFOUND {
		t.Errorf("someone outside the audience reads the history: %v", err)
	}
	var shared int64
	if err := s.DB().Reader().QueryRow(`SELECT COUNT(*) FROM audit_records WHERE chain = ? AND object_type = ?`,
		ChainShared, string(kindSecret)).Scan(&shared); err != nil || shared != 0 {
		t.Fatalf("%d records about the object in the shared chain (%v)", shared, err)
	}
	for _, who := range []*User{usDel, cnHead, cnDel, System} {
		heads, err := s.AuditChains(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range heads {
			if h.Chain == own {
				t.Errorf("the object's chain is listed for %s", who.Email)
			}
		}
	}
	ok, problems, err := s.DB().VerifyAudit(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("the chains do not verify: %v %v", problems, err)
	}
	verified := false
	for _, h := range ok {
		verified = verified || (h.Chain == own && h.Length == 2)
	}
	if !verified {
		t.Fatalf("the object's chain is not among those verified: %+v", ok)
	}
}
