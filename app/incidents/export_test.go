package incidents

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

// exportFixture: a reported CN incident with a claim, indicators (one a
// formula in disguise) and positions on them.
func exportFixture(t *testing.T, f *fix, tlp TLP) *Incident {
	t.Helper()
	inc := f.reported("Attacks on government websites", tlp)
	cur, _ := f.s.Get(f.ctx, f.u["cn.head"], inc.PublicID)
	c, err := f.s.AddClaim(f.ctx, f.u["cn.delegate"], inc.ID, cur.Version, "54 from US-based IP addresses", "54")
	if err != nil {
		t.Fatal(err)
	}
	cur, _ = f.s.Get(f.ctx, f.u["cn.head"], inc.PublicID)
	if _, err := f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, cur.Version,
		"192.0.2.1\nhxxp://evil.example[.]com/=cmd|calc!A0\nd41d8cd98f00b204e9800998ecf8427e", RoleSource, false); err != nil {
		t.Fatal(err)
	}
	list, _ := f.s.Indicators(f.ctx, f.u["us.head"], inc.ID, IndicatorFilter{})
	for _, p := range []struct {
		who    string
		target Target
		id     int64
		kind   PositionKind
		reason string
	}{{"us.delegate", TargetClaim, c.ID, PositionDisputed, "Addresses prove nothing."},
		{"cn.delegate", TargetClaim, c.ID, PositionConfirmed, ""},
		{"us.head", TargetIndicator, list.Items[0].ID, PositionDisputed, "=HYPERLINK(\"http://x\") proves nothing"}} {
		if err := f.s.SetPosition(f.ctx, f.u[p.who], inc.ID, PositionInput{Target: p.target, TargetID: p.id, Kind: p.kind,
			Reason: p.reason}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.SetPosition(f.ctx, f.u["us.head"], inc.ID, PositionInput{Target: TargetIncident,
		Body: "The attribution is rejected."}); err != nil {
		t.Fatal(err)
	}
	return inc
}

func TestCSVExport(t *testing.T) {
	f := newFix(t)
	inc := exportFixture(t, f, TLPGreen)
	var buf bytes.Buffer
	if err := f.s.ExportCSV(f.ctx, f.u["us.observer"], inc.ID, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	for _, r := range rows[1:] {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("a cell a spreadsheet would run: %q", cell)
			}
		}
	}
	if rows[1][1] != "192.0.2.1" || rows[1][8] != "disputed" || !strings.HasPrefix(rows[1][9], "'=HYPERLINK") {
		t.Errorf("first row: %q", rows[1])
	}
	// AMBER: only the reporting side exports.
	amber := exportFixture(t, f, TLPAmber)
	if err := f.s.ExportCSV(f.ctx, f.u["us.head"], amber.ID, &buf); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("the US head exports an AMBER incident: %v", err)
	}
	if err := f.s.ExportCSV(f.ctx, f.u["cn.observer"], amber.ID, &buf); err != nil {
		t.Fatalf("the reporting side exports: %v", err)
	}
}

// The bundle holds every object with the properties STIX 2.1 requires of
// its type, identifiers of the form type--UUID, every reference resolved,
// and the TLP marking on every object it marks.
func TestStixBundle(t *testing.T) {
	f := newFix(t)
	inc := exportFixture(t, f, TLPGreen)
	if err := f.s.SetPosition(f.ctx, f.u["secretariat"], inc.ID, PositionInput{Target: TargetIncident,
		Body: "The delegations agreed to exchange logs."}); err != nil {
		t.Fatal(err)
	}
	b, err := f.s.StixBundle(f.ctx, f.u["secretariat"], inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(b)
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(raw, &bundle); err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if bundle.Type != "bundle" || !id.MatchString(bundle.ID) {
		t.Fatalf("bundle %s %s", bundle.Type, bundle.ID)
	}
	required := map[string][]string{
		"marking-definition": {"type", "spec_version", "id", "created"},
		"identity":           {"type", "spec_version", "id", "created", "modified", "name"},
		"report":             {"type", "spec_version", "id", "created", "modified", "name", "published", "object_refs"},
		"note":               {"type", "spec_version", "id", "created", "modified", "content", "object_refs"},
		"indicator":          {"type", "spec_version", "id", "created", "modified", "pattern", "pattern_type", "valid_from"},
		"opinion":            {"type", "spec_version", "id", "created", "modified", "opinion", "object_refs"},
		"observed-data": {"type", "spec_version", "id", "created", "modified", "first_observed", "last_observed",
			"number_observed", "object_refs"},
		"ipv4-addr": {"type", "id", "value"},
		"url":       {"type", "id", "value"},
		"file":      {"type", "id", "hashes"},
	}
	observable := map[string]bool{"ipv4-addr": true, "url": true, "file": true}
	ids, count := map[string]bool{}, map[string]int{}
	for _, o := range bundle.Objects {
		ids[o["id"].(string)] = true
	}
	marking, _, _ := StixMarking(TLPGreen)
	for _, o := range bundle.Objects {
		typ, _ := o["type"].(string)
		count[typ]++
		props, ok := required[typ]
		if !ok {
			t.Errorf("an object of type %q", typ)
			continue
		}
		for _, p := range props {
			if v, ok := o[p]; !ok || v == "" || v == nil {
				t.Errorf("%s %s lacks %s", typ, o["id"], p)
			}
		}
		if !id.MatchString(o["id"].(string)) || !strings.HasPrefix(o["id"].(string), typ+"--") || o["spec_version"] != "2.1" {
			t.Errorf("%s: id %s, spec_version %v", typ, o["id"], o["spec_version"])
		}
		for _, key := range []string{"object_refs", "object_marking_refs"} {
			if refs, ok := o[key].([]any); ok {
				for _, r := range refs {
					if !ids[r.(string)] {
						t.Errorf("%s %s refers to %s, not in the bundle", typ, o["id"], r)
					}
				}
			}
		}
		if by, ok := o["created_by_ref"].(string); ok && !ids[by] {
			t.Errorf("%s created by %s, not in the bundle", typ, by)
		}
		if typ != "marking-definition" && typ != "identity" && !observable[typ] {
			if refs, _ := o["object_marking_refs"].([]any); len(refs) != 1 || refs[0] != marking {
				t.Errorf("%s %s is not marked TLP:GREEN", typ, o["id"])
			}
		}
		if typ == "opinion" && stixOpinionValid(o["opinion"].(string)) == false {
			t.Errorf("opinion %v", o["opinion"])
		}
	}
	if count["indicator"] != 3 || count["opinion"] != 3 || count["note"] != 2 || count["report"] != 1 || count["identity"] != 2 ||
		count["observed-data"] != 1 || count["ipv4-addr"] != 1 || count["url"] != 1 || count["file"] != 1 {
		t.Fatalf("objects: %v", count)
	}
	if strings.Contains(string(raw), "exchange logs") {
		t.Error("the bundle holds the secretariat's note")
	}
	// Exported twice, the same identifiers.
	again, _ := f.s.StixBundle(f.ctx, f.u["cn.head"], inc.ID)
	raw2, _ := json.Marshal(again)
	if string(raw2) != string(raw) {
		t.Error("a second export differs")
	}
}

// stixOpinionValid: STIX 2.1's opinion vocabulary.
func stixOpinionValid(s string) bool {
	switch s {
	case "strongly-disagree", "disagree", "neutral", "agree", "strongly-agree":
		return true
	}
	return false
}
