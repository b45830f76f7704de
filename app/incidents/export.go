package incidents

import (
	"context"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/parley/parley/app"
)

// Exports: an incident's indicators as CSV, and the incident as a STIX 2.1
// bundle. Only what the exporter may export leaves Parley (canExport: for
// AMBER and above, the reporting side only); neither holds internal notes
// or anything a side keeps to itself.

// exportBatch is how many indicators an export reads at a time.
const exportBatch = 1000

// exportable loads an incident the actor may export.
func (s *Service) exportable(ctx context.Context, actor *app.User, incidentID int64) (*Incident, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	if !inc.Status.Shared() || !canExport(actor, inc, false) {
		return nil, app.ErrForbidden
	}
	return inc, nil
}

// eachIndicator calls fn for every indicator of the incident, in batches,
// with the positions standing on the batch.
func (s *Service) eachIndicator(ctx context.Context, inc *Incident, fn func(Indicator, map[int64]*Position) error) error {
	var after int64
	for {
		batch, err := s.st.indicatorsAfter(ctx, inc.ID, after, exportBatch)
		if err != nil || len(batch) == 0 {
			return err
		}
		ids := make([]int64, len(batch))
		for i := range batch {
			ids[i] = batch[i].ID
		}
		positions, err := s.st.positionsOn(ctx, inc.ID, TargetIndicator, ids)
		if err != nil {
			return err
		}
		byIndicator := byTarget(positions)
		for _, ind := range batch {
			if err := fn(ind, byIndicator[ind.ID]); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

// ExportCSV writes an incident's indicators as CSV, with each delegation's
// position on each; cells are neutralised so that no spreadsheet runs them.
func (s *Service) ExportCSV(ctx context.Context, actor *app.User, incidentID int64, w io.Writer) error {
	inc, err := s.exportable(ctx, actor, incidentID)
	if err != nil {
		return err
	}
	cw, err := app.NewCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write("type", "value", "role", "first_seen", "last_seen", "note", "reporting_side_position",
		"reporting_side_reason", "addressed_side_position", "addressed_side_reason"); err != nil {
		return err
	}
	pos := func(p *Position) (string, string) {
		if p == nil {
			return "", ""
		}
		return string(p.Kind), p.Reason
	}
	err = s.eachIndicator(ctx, inc, func(ind Indicator, by map[int64]*Position) error {
		rk, rr := pos(by[inc.ReportingSideID])
		ak, ar := pos(by[inc.AddressedSideID])
		return cw.Write(string(ind.Type), ind.Value, string(ind.Role), stamp(ind.FirstSeen), stamp(ind.LastSeen), ind.Note,
			rk, rr, ak, ar)
	})
	if err != nil {
		return err
	}
	return cw.Close()
}

// stamp is an optional instant in a CSV cell: UTC, RFC 3339.
func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// stixTime is a STIX timestamp (UTC, milliseconds).
func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// StixBundle is the incident as a STIX 2.1 bundle: its TLP marking
// definition, an identity per delegation, the report, a note per claim and
// per official position, an indicator per indicator with its cyber
// observable, an observed-data object over the observed window, and an
// opinion per position standing on a claim or an indicator, each marked.
func (s *Service) StixBundle(ctx context.Context, actor *app.User, incidentID int64) (map[string]any, error) {
	inc, err := s.exportable(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	markingID, marking, _ := StixMarking(inc.TLP)
	marks := []string{markingID}
	identity := map[int64]string{}
	objects := []any{marking}
	for _, side := range []*app.Side{inc.ReportingSide, inc.AddressedSide} { // joined when it was loaded
		id := StixID("identity", "side:"+side.PublicID)
		identity[side.ID] = id
		objects = append(objects, map[string]any{"type": "identity", "spec_version": "2.1", "id": id,
			"created": stixTime(side.CreatedAt), "modified": stixTime(side.UpdatedAt), "name": side.NameEN,
			"identity_class": "organization"})
	}
	reportID := StixID("report", inc.PublicID)
	sdo := func(stixType, name string, created, modified time.Time, by int64) map[string]any {
		return map[string]any{"type": stixType, "spec_version": "2.1", "id": StixID(stixType, name),
			"created": stixTime(created), "modified": stixTime(modified), "created_by_ref": identity[by],
			"object_marking_refs": marks}
	}
	refs := []string{identity[inc.ReportingSideID], identity[inc.AddressedSideID]}
	view, err := s.claimsOf(ctx, inc)
	if err != nil {
		return nil, err
	}
	opinion := func(p *Position, target string) map[string]any {
		o := sdo("opinion", "position:"+itoa(p.ID), p.CreatedAt, p.CreatedAt, p.SideID)
		o["opinion"], o["object_refs"] = StixOpinion(p.Kind), []string{target}
		if p.Reason != "" {
			o["explanation"] = p.Reason
		}
		return o
	}
	for _, c := range view.Claims {
		n := sdo("note", "claim:"+c.PublicID, c.CreatedAt, c.UpdatedAt, inc.ReportingSideID)
		content := c.Text
		if c.Figure != "" {
			content += " (" + c.Figure + ")"
		}
		n["abstract"], n["content"], n["object_refs"] = "Claim "+itoa(int64(c.Position)), content, []string{reportID}
		objects = append(objects, n)
		refs = append(refs, n["id"].(string))
		for _, side := range slices.Sorted(maps.Keys(c.Positions)) {
			if p := c.Positions[side]; identity[side] != "" {
				objects = append(objects, opinion(p, n["id"].(string)))
			}
		}
	}
	for _, side := range slices.Sorted(maps.Keys(view.Official)) {
		p := view.Official[side]
		if identity[side] == "" {
			continue // the secretariat's note is no delegation's position
		}
		n := sdo("note", "official:"+itoa(p.ID), p.CreatedAt, p.CreatedAt, side)
		n["abstract"], n["content"], n["object_refs"] = "Official position", p.Body, []string{reportID}
		objects = append(objects, n)
		refs = append(refs, n["id"].(string))
	}
	var observed []string
	seenSCO := map[string]bool{}
	err = s.eachIndicator(ctx, inc, func(ind Indicator, by map[int64]*Position) error {
		if sco := StixObservable(ParsedIndicator{ind.Type, ind.Value}); sco != nil && !seenSCO[sco["id"].(string)] {
			seenSCO[sco["id"].(string)] = true
			objects = append(objects, sco)
			observed = append(observed, sco["id"].(string))
		}
		o := sdo("indicator", "indicator:"+ind.PublicID, ind.CreatedAt, ind.UpdatedAt, inc.ReportingSideID)
		o["name"], o["pattern"], o["pattern_type"] = ind.Value, StixPattern(ParsedIndicator{ind.Type, ind.Value}), "stix"
		o["valid_from"] = stixTime(ind.CreatedAt)
		objects = append(objects, o)
		refs = append(refs, o["id"].(string))
		for _, side := range slices.Sorted(maps.Keys(by)) {
			if identity[side] != "" {
				objects = append(objects, opinion(by[side], o["id"].(string)))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	published := inc.CreatedAt
	if inc.ReportedAt != nil {
		published = *inc.ReportedAt
	}
	if len(observed) > 0 {
		// What was observed, over the reported window (or when it was reported).
		first, last := published, published
		if inc.ObservedFrom != nil {
			first, last = *inc.ObservedFrom, *inc.ObservedFrom
		}
		if inc.ObservedTo != nil {
			last = *inc.ObservedTo
			if inc.ObservedFrom == nil {
				first = last
			}
		}
		od := sdo("observed-data", "observed:"+inc.PublicID, inc.CreatedAt, inc.UpdatedAt, inc.ReportingSideID)
		od["first_observed"], od["last_observed"], od["number_observed"], od["object_refs"] = stixTime(first),
			stixTime(last), 1, observed
		objects = append(objects, od)
		refs = append(refs, od["id"].(string))
	}
	report := sdo("report", inc.PublicID, inc.CreatedAt, inc.UpdatedAt, inc.ReportingSideID)
	report["name"], report["description"], report["published"] = inc.Title, inc.Summary, stixTime(published)
	report["report_types"], report["object_refs"], report["lang"] = []string{"threat-report"}, refs, inc.Language
	objects = append(objects, report)
	return map[string]any{"type": "bundle", "id": StixID("bundle", inc.PublicID+":"+stixTime(inc.UpdatedAt)),
		"objects": objects}, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ListExportBatch is how many incidents the list's export reads at a time.
const ListExportBatch = 500

// ExportListCSV writes the incidents the filter keeps that the actor may
// export, one row each: those marked AMBER and above only for their
// reporting side, whose export they are. A search exports its first
// CountCap matches, as the list shows them.
func (s *Service) ExportListCSV(ctx context.Context, actor *app.User, f Filter, w io.Writer) error {
	if actor == nil {
		return app.ErrNotFound
	}
	cw, err := app.NewCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write("id", "title", "status", "tlp", "category", "reporting_side", "addressed_side", "observed_from",
		"observed_to", "reported_at", "updated_at"); err != nil {
		return err
	}
	code := func(sd *app.Side) string {
		if sd == nil {
			return ""
		}
		return sd.Code
	}
	var after int64
	for {
		batch, err := s.st.exportBatch(ctx, actor, f, after, ListExportBatch)
		if err != nil {
			return err
		}
		for _, inc := range batch {
			if !canExport(actor, &inc, false) {
				continue
			}
			if err := cw.Write(inc.PublicID, inc.Title, string(inc.Status), inc.TLP.Label(), string(inc.Category),
				code(inc.ReportingSide), code(inc.AddressedSide), stamp(inc.ObservedFrom), stamp(inc.ObservedTo),
				stamp(inc.ReportedAt), stamp(&inc.UpdatedAt)); err != nil {
				return err
			}
		}
		if len(batch) < ListExportBatch {
			return cw.Close()
		}
		after = batch[len(batch)-1].ID
	}
}
