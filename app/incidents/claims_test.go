package incidents

import (
	"testing"

	"github.com/parley/parley/app"
)

// The report's claims are the reporting side's; each delegation answers each
// claim with its own position, which the other side can neither set nor
// change; an official position is the head's; every change stands beside
// the earlier ones, never over them.
func TestClaimsAndPositions(t *testing.T) {
	f := newFix(t)
	draft, err := f.s.Create(f.ctx, f.u["cn.delegate"], f.input("Attacks on government websites", TLPGreen))
	if err != nil {
		t.Fatal(err)
	}
	c1, err := f.s.AddClaim(f.ctx, f.u["cn.delegate"], draft.ID, draft.Version, "249 websites were hacked", "249, January–May")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddClaim(f.ctx, f.u["cn.delegate"], draft.ID, draft.Version, "stale", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a claim added on a stale page: %v", err)
	}
	if _, err := f.s.AddClaim(f.ctx, f.u["cn.delegate"], draft.ID, draft.Version+1, " ", ""); app.FieldErrors(err)["text"] == "" {
		t.Fatalf("a claim without text: %v", err)
	}
	c2, err := f.s.AddClaim(f.ctx, f.u["cn.head"], draft.ID, draft.Version+1, "54 from US-based IP addresses", "54")
	if err != nil || c2.Position != 2 {
		t.Fatalf("second claim: %+v %v", c2, err)
	}
	if err := f.s.EditClaim(f.ctx, f.u["cn.delegate"], draft.ID, c1.ID, c1.Version, "249 websites were defaced", c1.Figure); err != nil {
		t.Fatal(err)
	}
	cur, _ := f.s.Get(f.ctx, f.u["cn.head"], draft.PublicID)
	if err := f.s.Report(f.ctx, f.u["cn.head"], draft.ID, cur.Version); err != nil {
		t.Fatal(err)
	}
	// Reported: claims are added, never rewritten; the other side adds none.
	wantCode(t, f.s.EditClaim(f.ctx, f.u["cn.delegate"], draft.ID, c1.ID, c1.Version+1, "rewritten", ""), app.EFORBIDDEN)
	cur, _ = f.s.Get(f.ctx, f.u["us.head"], draft.PublicID)
	if _, err := f.s.AddClaim(f.ctx, f.u["us.head"], draft.ID, cur.Version, "US claim", ""); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("the US adds a claim to the CN report: %v", err)
	}

	// Positions: a dispute needs a reason; the US sets only the US position.
	us, cn := f.u["us.head"].SideID, f.u["cn.head"].SideID
	if err := f.s.SetPosition(f.ctx, f.u["us.delegate"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionDisputed}); app.FieldErrors(err)["reason"] == "" {
		t.Fatalf("disputed without a reason: %v", err)
	}
	if err := f.s.SetPosition(f.ctx, f.u["us.delegate"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionDisputed, Reason: "An IP address does not show who acted."}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetPosition(f.ctx, f.u["cn.delegate"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionConfirmed}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.SetPosition(f.ctx, f.u["us.observer"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionUnknown}), app.EFORBIDDEN)
	wantCode(t, f.s.SetPosition(f.ctx, f.u["secretariat"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionUnknown}), app.EFORBIDDEN)
	v, err := f.s.Claims(f.ctx, f.u["secretariat"], draft.ID)
	if err != nil || len(v.Claims) != 2 {
		t.Fatalf("claims: %+v %v", v, err)
	}
	got := v.Claims[1].Positions
	if got[us] == nil || got[us].Kind != PositionDisputed || got[cn] == nil || got[cn].Kind != PositionConfirmed ||
		got[us].User == nil || v.Claims[0].Text != "249 websites were defaced" {
		t.Fatalf("the positions side by side: %+v", got)
	}
	// A change on a stale page conflicts; on the current one it stands beside the earlier one.
	wantCode(t, f.s.SetPosition(f.ctx, f.u["us.head"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionInvestigating}), app.ECONFLICT)
	if err := f.s.SetPosition(f.ctx, f.u["us.head"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c2.ID,
		Kind: PositionInvestigating, Standing: got[us].Token()}); err != nil {
		t.Fatal(err)
	}
	var rows int64
	if err := f.s.core.DB().Reader().QueryRow(`SELECT COUNT(*) FROM incident_positions WHERE target_id = ? AND side_id = ?`,
		c2.ID, us).Scan(&rows); err != nil || rows != 2 {
		t.Fatalf("%d US positions kept (%v)", rows, err)
	}
	// The official position is the head's, for their own side.
	wantCode(t, f.s.SetPosition(f.ctx, f.u["us.delegate"], draft.ID, PositionInput{Target: TargetIncident,
		Body: "The United States rejects the attribution."}), app.EFORBIDDEN)
	if err := f.s.SetPosition(f.ctx, f.u["us.head"], draft.ID, PositionInput{Target: TargetIncident,
		Body: "The United States rejects the attribution."}); err != nil {
		t.Fatal(err)
	}
	// The secretariat's note stands beside them, in its own column.
	if err := f.s.SetPosition(f.ctx, f.u["secretariat"], draft.ID, PositionInput{Target: TargetIncident,
		Body: "Both delegations agreed to exchange logs."}); err != nil {
		t.Fatal(err)
	}
	v, _ = f.s.Claims(f.ctx, f.u["cn.observer"], draft.ID)
	sec := f.u["secretariat"].SideID
	if v.Official[us] == nil || v.Official[us].Body == "" || v.Official[cn] != nil || v.Official[sec] == nil ||
		v.Official[us].Body == v.Official[sec].Body {
		t.Fatalf("official positions: %+v", v.Official)
	}
	// A claim of another incident is not found through this one.
	other := f.reported("Another", TLPGreen)
	wantCode(t, f.s.SetPosition(f.ctx, f.u["us.head"], other.ID, PositionInput{Target: TargetClaim, TargetID: c1.ID,
		Kind: PositionUnknown}), app.ENOTFOUND)
	// Closed: no more positions.
	cur, _ = f.s.Get(f.ctx, f.u["cn.head"], draft.PublicID)
	if err := f.s.Move(f.ctx, f.u["cn.head"], draft.ID, cur.Version, StatusClosed); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.SetPosition(f.ctx, f.u["us.head"], draft.ID, PositionInput{Target: TargetClaim, TargetID: c1.ID,
		Kind: PositionUnknown}), app.EFORBIDDEN)
	// Nothing of it is in the shared chain; the history names no row id.
	_, recs, _ := f.s.core.History(f.ctx, f.u["us.observer"], app.Ref{Kind: KindIncident, ID: draft.ID})
	for _, r := range recs {
		if r.Chain == app.ChainShared {
			t.Errorf("%s in the shared chain", r.Action)
		}
	}
}
