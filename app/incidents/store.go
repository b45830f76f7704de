package incidents

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parley/parley/app"
)

// store is the incidents' database access: the only incidents file that uses gorm.
type store struct{ db *app.DB }

// wtx is a write transaction, for the incidents' writes.
type wtx struct{ *app.Tx }

// visibleIncidents limits a query to the incidents the actor may see: the
// SQL twin of canSee (policy.go), held to it by TestVisibilityInSQLIsThePolicy.
// A draft is its reporting side's; a reported CLEAR or GREEN incident is
// everyone's; AMBER and AMBER+STRICT are confirmed members'; RED is the
// reporting side's and its named recipients'.
func visibleIncidents(actor *app.User) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		if actor == nil || actor.Disabled() {
			return q.Where("1 = 0")
		}
		cond := "incidents.tlp IN ('CLEAR', 'GREEN')"
		var args []any
		if !actor.Pending {
			cond += ` OR incidents.tlp IN ('AMBER', 'AMBER+STRICT') OR (incidents.tlp = 'RED' AND EXISTS
				(SELECT 1 FROM incident_recipients r WHERE r.incident_id = incidents.id AND r.user_id = ?))`
			args = append(args, actor.ID)
		}
		cond = "(incidents.status <> 'draft' AND (" + cond + "))"
		if side := actor.InternalSideID(); side != 0 {
			cond = "(" + cond + " OR incidents.reporting_side_id = ?)"
			args = append(args, side)
		}
		return q.Where(cond, args...)
	}
}

// visibleAmong says which of the incidents (by row id) the actor may see: one query.
func (st store) visibleAmong(ctx context.Context, actor *app.User, ids []int64) (map[int64]bool, error) {
	var seen []int64
	err := st.db.Read(ctx).Model(&Incident{}).Scopes(visibleIncidents(actor)).
		Where("incidents.id IN ?", ids).Pluck("incidents.id", &seen).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	out := make(map[int64]bool, len(seen))
	for _, id := range seen {
		out[id] = true
	}
	return out, nil
}

// incidentOnly loads one incident the actor may see, by its row id or its
// opaque identifier (column "id" or "public_id"), with its sides, author
// and translation: one query.
func (st store) incidentOnly(ctx context.Context, actor *app.User, column string, value any) (*Incident, error) {
	var inc Incident
	err := st.db.Read(ctx).Scopes(visibleIncidents(actor)).Joins("ReportingSide").Joins("AddressedSide").Joins("Author").
		Joins("Translation").Where("incidents."+column+" = ?", value).Take(&inc).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	return &inc, nil
}

// incident is incidentOnly with the incident's sectors and named recipients,
// and whether the actor is one of them: two queries.
func (st store) incident(ctx context.Context, actor *app.User, column string, value any) (*Incident, error) {
	inc, err := st.incidentOnly(ctx, actor, column, value)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Sector string
		UserID int64
	}
	if err := st.db.Read(ctx).Raw(`SELECT sector, 0 AS user_id FROM incident_sectors WHERE incident_id = ?
		UNION ALL SELECT '' AS sector, user_id FROM incident_recipients WHERE incident_id = ?
		ORDER BY 1, 2`, inc.ID, inc.ID).Scan(&rows).Error; err != nil {
		return nil, app.DBErr(err)
	}
	for _, r := range rows {
		if r.Sector != "" {
			inc.Sectors = append(inc.Sectors, Sector(r.Sector))
			continue
		}
		inc.Recipients = append(inc.Recipients, r.UserID)
		inc.Recipient = inc.Recipient || (actor != nil && r.UserID == actor.ID)
	}
	return inc, nil
}

func (tx wtx) createIncident(inc *Incident) error {
	inc.PublicID = app.NewPublicID()
	if err := tx.Gorm().Omit(clause.Associations).Create(inc).Error; err != nil {
		return err
	}
	return tx.setSectors(inc.ID, inc.Sectors)
}

// setSectors replaces an incident's sectors.
func (tx wtx) setSectors(id int64, sectors []Sector) error {
	return replaceRows(tx, "incident_sectors", "sector", id, sectors)
}

// setRecipients replaces a RED incident's named recipients.
func (tx wtx) setRecipients(id int64, users []int64) error {
	return replaceRows(tx, "incident_recipients", "user_id", id, users)
}

// replaceRows makes values the incident's rows of a two-column table
// (incident_id and column).
func replaceRows[T any](tx wtx, table, column string, id int64, values []T) error {
	if err := tx.Gorm().Exec("DELETE FROM "+table+" WHERE incident_id = ?", id).Error; err != nil {
		return err
	}
	for _, v := range values {
		if err := tx.Gorm().Exec("INSERT INTO "+table+" (incident_id, "+column+") VALUES (?, ?)", id, v).Error; err != nil {
			return err
		}
	}
	return nil
}

// recipientsAmong keeps of the given accounts those who may be named
// recipients: confirmed, enabled members of the addressed side or of the
// secretariat.
func (st store) recipientsAmong(ctx context.Context, ids []int64, addressedSideID int64) ([]int64, error) {
	var out []int64
	if len(ids) == 0 {
		return out, nil
	}
	err := st.db.Read(ctx).Table("users AS u").Joins("JOIN sides AS d ON d.id = u.side_id").
		Where("u.id IN ? AND u.pending = ? AND u.disabled_at IS NULL", ids, false).
		Where("(u.side_id = ? OR d.kind = ?)", addressedSideID, app.KindSecretariat).
		Order("u.id").Pluck("u.id", &out).Error
	return out, app.DBErr(err)
}

// candidates lists who may be named recipients, by name: at most a few
// hundred accounts (two sides' members).
func (st store) candidates(ctx context.Context, addressedSideID int64) ([]app.User, error) {
	var out []app.User
	err := st.db.Read(ctx).Joins("Side").Where("users.pending = ? AND users.disabled_at IS NULL", false).
		Where(`(users.side_id = ? OR "Side".kind = ?)`, addressedSideID, app.KindSecretariat).
		Order("users.side_id, users.name").Limit(1000).Find(&out).Error
	return out, app.DBErr(err)
}

// demoReport is the first incident a side reported (the demo's report).
func (st store) demoReport(ctx context.Context, sideID int64) (int64, error) {
	var id int64
	err := st.db.Read(ctx).Model(&Incident{}).Where("reporting_side_id = ? AND status <> ?", sideID, StatusDraft).
		Order("id").Limit(1).Pluck("id", &id).Error
	if err == nil && id == 0 {
		err = app.ErrNotFound
	}
	return id, app.DBErr(err)
}

// otherDelegation is the one delegation other than a side, or 0 when there
// is none or more than one (then the reporter must name it).
func (st store) otherDelegation(ctx context.Context, sideID int64) (int64, error) {
	var ids []int64
	err := st.db.Read(ctx).Table("sides").Where("kind = ? AND id <> ?", app.KindDelegation, sideID).Limit(2).
		Pluck("id", &ids).Error
	if err != nil || len(ids) != 1 {
		return 0, app.DBErr(err)
	}
	return ids[0], nil
}

// delegation reports whether a side is a delegation.
func (st store) delegation(ctx context.Context, sideID int64) (bool, error) {
	var n int64
	err := st.db.Read(ctx).Table("sides").Where("id = ? AND kind = ?", sideID, app.KindDelegation).Count(&n).Error
	return n == 1, app.DBErr(err)
}

// Claims and positions.

func (st store) claims(ctx context.Context, incidentID int64) ([]Claim, error) {
	var out []Claim
	err := st.db.Read(ctx).Where("incident_id = ?", incidentID).Order("position, id").Find(&out).Error
	return out, app.DBErr(err)
}

func (st store) claim(ctx context.Context, incidentID, id int64) (*Claim, error) {
	var c Claim
	if err := st.db.Read(ctx).Where("incident_id = ? AND id = ?", incidentID, id).Take(&c).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &c, nil
}

// reportPositions are the positions standing on an incident itself and on
// its claims (not on its indicators, which their pages read a page at a
// time), with who set them: one query.
func (st store) reportPositions(ctx context.Context, incidentID int64) ([]Position, error) {
	var out []Position
	err := st.db.Read(ctx).Joins("User").Where(`incident_positions.incident_id = ? AND incident_positions.superseded_at IS NULL
		AND incident_positions.target_type IN ?`, incidentID, []Target{TargetIncident, TargetClaim}).
		Order("incident_positions.id").Find(&out).Error
	return out, app.DBErr(err)
}

func (tx wtx) claimCount(incidentID int64) (int64, error) {
	var n int64
	err := tx.Gorm().Model(&Claim{}).Where("incident_id = ?", incidentID).Count(&n).Error
	return n, err
}

func (tx wtx) createClaim(c *Claim) error {
	c.PublicID = app.NewPublicID()
	return tx.Gorm().Create(c).Error
}

// supersede retires the side's standing position on the target, if it is
// the one the actor saw (standing: its Token, 0 for none); another is a conflict.
func (tx wtx) supersede(p *Position, standing int64) error {
	var cur []Position
	err := tx.Gorm().Raw(`SELECT id, created_at FROM incident_positions WHERE target_type = ? AND target_id = ?
		AND side_id = ? AND superseded_at IS NULL`, p.TargetType, p.TargetID, p.SideID).Scan(&cur).Error
	if err != nil {
		return err
	}
	if len(cur) == 0 {
		if standing != 0 {
			return app.ErrConflict
		}
		return nil
	}
	if cur[0].Token() != standing {
		return app.ErrConflict
	}
	return tx.Gorm().Exec("UPDATE incident_positions SET superseded_at = ? WHERE id = ?", tx.Now(), cur[0].ID).Error
}

// Indicators.

// addIndicator inserts an indicator unless the incident has it already;
// it reports whether it did.
func (tx wtx) addIndicator(i *Indicator) (bool, error) {
	i.PublicID = app.NewPublicID()
	res := tx.Gorm().Clauses(clause.OnConflict{DoNothing: true}).Create(i)
	return res.RowsAffected == 1, res.Error
}

// indicatorQuery is an incident's indicators narrowed by the filter.
func (st store) indicatorQuery(ctx context.Context, incidentID int64, f IndicatorFilter) *gorm.DB {
	q := st.db.Read(ctx).Model(&Indicator{}).Where("incident_indicators.incident_id = ?", incidentID)
	if f.Type != "" {
		q = q.Where("incident_indicators.type = ?", f.Type)
	}
	if f.Text != "" {
		q = q.Where("LOWER(incident_indicators.value) LIKE ? ESCAPE '\\'", "%"+likeEscaper.Replace(strings.ToLower(f.Text))+"%")
	}
	if f.Position != "" {
		held := `EXISTS (SELECT 1 FROM incident_positions p WHERE p.target_type = 'indicator'
			AND p.target_id = incident_indicators.id AND p.side_id = ? AND p.superseded_at IS NULL`
		if f.Position == PositionNone {
			q = q.Where("NOT "+held+")", f.Side)
		} else {
			q = q.Where(held+" AND p.kind = ?)", f.Side, f.Position)
		}
	}
	return q
}

// likeEscaper escapes LIKE's wildcards in what was typed.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (st store) countIndicators(ctx context.Context, incidentID int64, f IndicatorFilter, limit int64) (int64, error) {
	var n int64
	capped := st.indicatorQuery(ctx, incidentID, f).Select("incident_indicators.id").Limit(int(limit))
	err := st.db.Read(ctx).Table("(?) AS capped", capped).Count(&n).Error
	return n, app.DBErr(err)
}

func (st store) indicators(ctx context.Context, incidentID int64, f IndicatorFilter, pg app.Page) ([]Indicator, error) {
	var out []Indicator
	err := st.indicatorQuery(ctx, incidentID, f).Order("incident_indicators.type, incident_indicators.id").
		Limit(pg.Size).Offset(pg.Offset()).Find(&out).Error
	return out, app.DBErr(err)
}

func (st store) indicator(ctx context.Context, incidentID, id int64) (*Indicator, error) {
	var i Indicator
	if err := st.db.Read(ctx).Where("incident_id = ? AND id = ?", incidentID, id).Take(&i).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &i, nil
}

// positionsOn are the positions standing on some targets of an incident.
func (st store) positionsOn(ctx context.Context, incidentID int64, target Target, ids []int64) ([]Position, error) {
	var out []Position
	err := st.db.Read(ctx).Joins("User").Where(`incident_positions.incident_id = ? AND incident_positions.target_type = ?
		AND incident_positions.target_id IN ? AND incident_positions.superseded_at IS NULL`, incidentID, target, ids).
		Find(&out).Error
	return out, app.DBErr(err)
}

// elsewhere finds, for a page of indicators, the other incidents the actor
// may see that carry the same ones: one query, at most five rows for each
// indicator of the page.
func (st store) elsewhere(ctx context.Context, actor *app.User, incidentID int64, page []Indicator) (map[string][]string, error) {
	var conds []string
	var args []any
	for _, i := range page {
		conds = append(conds, "(other.type = ? AND other.value = ?)")
		args = append(args, i.Type, i.Value)
	}
	var rows []struct {
		Type     IndicatorType
		Value    string
		PublicID string
	}
	err := st.db.Read(ctx).Table("incident_indicators AS other").
		Joins("JOIN incidents ON incidents.id = other.incident_id").Scopes(visibleIncidents(actor)).
		Where("other.incident_id <> ?", incidentID).Where("("+strings.Join(conds, " OR ")+")", args...).
		Select("other.type AS type, other.value AS value, incidents.public_id AS public_id").
		Order("incidents.id DESC").Limit(len(page) * 5).Scan(&rows).Error
	out := map[string][]string{}
	for _, r := range rows {
		out[r.Type.key(r.Value)] = append(out[r.Type.key(r.Value)], r.PublicID)
	}
	return out, app.DBErr(err)
}

// matching returns the incidents the actor may see that the filter keeps,
// with or without its status (the tabs count every status); ok is false
// when a search can match nothing.
func (st store) matching(ctx context.Context, actor *app.User, f Filter) (matches func(withStatus bool) *gorm.DB, ok bool) {
	var from, where, order string
	var args []any
	if f.Text != "" {
		var ok bool
		if from, where, args, order, ok = app.SearchSource(KindIncident, "incidents", f.Text); !ok {
			return nil, false
		}
	}
	return func(withStatus bool) *gorm.DB {
		q := st.db.Read(ctx).Model(&Incident{}).Scopes(visibleIncidents(actor))
		if withStatus && f.Status != "" {
			q = q.Where("incidents.status = ?", f.Status)
		}
		if f.SideID != 0 {
			q = q.Where("incidents.reporting_side_id = ?", f.SideID)
		}
		if f.Category != "" {
			q = q.Where("incidents.category = ?", f.Category)
		}
		if f.TLP != "" {
			q = q.Where("incidents.tlp = ?", f.TLP)
		}
		if f.Text != "" {
			// The visibility filter applies before the cap: what the actor
			// may not see takes no place among the matches.
			found := st.db.Read(ctx).Table(from).Scopes(visibleIncidents(actor)).Where(where, args...).
				Select("incidents.id").Order(order).Limit(CountCap + 1)
			q = q.Where("incidents.id IN (?)", found)
		}
		return q
	}, true
}

// exportBatch reads, in row order after the row id after, up to limit of
// the incidents the filter keeps (for the list's CSV export).
func (st store) exportBatch(ctx context.Context, actor *app.User, f Filter, after int64, limit int) ([]Incident, error) {
	matches, ok := st.matching(ctx, actor, f)
	if !ok {
		return nil, nil
	}
	var out []Incident
	err := matches(true).Joins("ReportingSide").Joins("AddressedSide").Where("incidents.id > ?", after).
		Order("incidents.id").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// list counts per status (up to CountCap+1 in all) and reads one page of
// the incidents the actor may see, with the filter's conditions, newest
// activity first.
func (st store) list(ctx context.Context, actor *app.User, f Filter) (map[Status]int64, int64, []Incident, error) {
	matches, ok := st.matching(ctx, actor, f)
	if !ok {
		return map[Status]int64{}, 0, nil, nil
	}
	// The counts per status of the first CountCap+1 matches; then the page.
	var counts []struct {
		Status Status
		N      int64
	}
	capped := matches(false).Select("incidents.status AS status").Limit(CountCap + 1)
	if err := st.db.Read(ctx).Table("(?) AS capped", capped).Select("status, COUNT(*) AS n").Group("status").
		Scan(&counts).Error; err != nil {
		return nil, 0, nil, app.DBErr(err)
	}
	byStatus := map[Status]int64{}
	var n int64
	for _, c := range counts {
		byStatus[c.Status] = c.N
		n += c.N
	}
	if f.Status != "" {
		n = byStatus[f.Status]
	}
	var items []Incident
	err := matches(true).Omit("summary"). // the list shows neither the summary nor the author
						Order("incidents.updated_at DESC, incidents.id DESC").Limit(f.Page.Size).Offset(f.Page.Offset()).Find(&items).Error
	return byStatus, n, items, app.DBErr(err)
}

// Information requests.

func (tx wtx) createRequest(r *Request) error {
	r.PublicID = app.NewPublicID()
	return tx.Gorm().Create(r).Error
}

func (st store) request(ctx context.Context, incidentID, id int64) (*Request, error) {
	var r Request
	if err := st.db.Read(ctx).Where("incident_id = ? AND id = ?", incidentID, id).Take(&r).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &r, nil
}

func (st store) requestByID(ctx context.Context, id int64) (*Request, error) {
	var r Request
	if err := st.db.Read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &r, nil
}

func (st store) requests(ctx context.Context, incidentID int64) ([]Request, error) {
	var out []Request
	err := st.db.Read(ctx).Where("incident_id = ?", incidentID).Order("id").Limit(MaxRequests).Find(&out).Error
	return out, app.DBErr(err)
}

// awaitingAnswer: open requests put to the actor's side on incidents the
// actor may see, soonest due first.
func (st store) awaitingAnswer(ctx context.Context, actor *app.User, limit int) ([]Awaiting, error) {
	var out []Awaiting
	err := st.db.Read(ctx).Model(&Request{}).Joins("JOIN incidents ON incidents.id = incident_requests.incident_id").
		Scopes(visibleIncidents(actor)).
		Where("incident_requests.asked_side_id = ? AND incident_requests.status = ?", actor.InternalSideID(), RequestOpen).
		Select("incident_requests.*, incidents.public_id AS incident_ref, incidents.title AS incident_title, " +
			"incidents.language AS incident_language").
		Order("incident_requests.due_date, incident_requests.id").Limit(limit).Scan(&out).Error
	return out, app.DBErr(err)
}

func (st store) requestCount(ctx context.Context, incidentID int64) (int64, error) {
	var n int64
	err := st.db.Read(ctx).Model(&Request{}).Where("incident_id = ?", incidentID).Count(&n).Error
	return n, app.DBErr(err)
}

// indicatorsAfter reads up to limit indicators of an incident after a row id, in id order (exports).
func (st store) indicatorsAfter(ctx context.Context, incidentID, after int64, limit int) ([]Indicator, error) {
	var out []Indicator
	err := st.db.Read(ctx).Where("incident_id = ? AND id > ?", incidentID, after).Order("id").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// stats reads the statistics from the counters the database keeps
// (migration 00017) for the markings the actor may read, and adds the RED
// incidents the actor is named on, read one by one: four queries, whatever
// the number of incidents and indicators.
func (st store) stats(ctx context.Context, actor *app.User) (*Stats, error) {
	out := &Stats{}
	if actor == nil || actor.Disabled() {
		return out, nil
	}
	// The counters a person may read: CLEAR and GREEN; AMBER and
	// AMBER+STRICT once confirmed; everything their own side reported.
	cond, args := "tlp IN ('CLEAR', 'GREEN')", []any{}
	if !actor.Pending {
		cond += " OR tlp IN ('AMBER', 'AMBER+STRICT')"
	}
	own := actor.InternalSideID()
	if own != 0 {
		cond += " OR reporting_side_id = ?"
		args = append(args, own)
	}
	var rows []struct {
		Status, Category, Month string
		ReportingSideID         int64
		N                       int64
	}
	if err := st.db.Read(ctx).Table("incident_counts").Where("n > 0 AND ("+cond+")", args...).
		Select("status, category, month, reporting_side_id, n").Scan(&rows).Error; err != nil {
		return nil, app.DBErr(err)
	}
	// The RED incidents of the other side the actor is named on.
	var named []int64
	if !actor.Pending {
		var red []struct {
			ID                      int64
			Status, Category, Month string
			ReportingSideID         int64
		}
		// Driven by the person's names (the recipients' index), not by every
		// RED incident: "|| ''" keeps the planner off the marking's index.
		if err := st.db.Read(ctx).Table("incidents").
			Where(`incidents.id IN (SELECT incident_id FROM incident_recipients WHERE user_id = ?)
				AND incidents.tlp || '' = 'RED' AND incidents.status <> 'draft' AND incidents.reporting_side_id <> ?`,
				actor.ID, own).
			Select(`incidents.id, incidents.status, incidents.category, incidents.reporting_side_id,
				COALESCE(SUBSTR(CAST(incidents.reported_at AS TEXT), 1, 7), '') AS month`).Scan(&red).Error; err != nil {
			return nil, app.DBErr(err)
		}
		for _, r := range red {
			named = append(named, r.ID)
			rows = append(rows, struct {
				Status, Category, Month string
				ReportingSideID         int64
				N                       int64
			}{r.Status, r.Category, r.Month, r.ReportingSideID, 1})
		}
	}
	group := func(key func(i int) string) []Count {
		by := map[string]int64{}
		for i := range rows {
			by[key(i)] += rows[i].N
		}
		var keys []string
		for k, n := range by {
			if n > 0 {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		counts := make([]Count, len(keys))
		for i, k := range keys {
			counts[i] = Count{Key: k, N: by[k]}
		}
		return counts
	}
	out.ByMonth = group(func(i int) string { return rows[i].Month })
	out.ByCategory = group(func(i int) string { return rows[i].Category })
	out.ByStatus = group(func(i int) string { return rows[i].Status })
	out.BySide = group(func(i int) string { return strconv.FormatInt(rows[i].ReportingSideID, 10) })

	// Indicators: every one (side 0), and the positions standing on them
	// by side and kind; with a marker row for each delegation, so that a
	// delegation with no position yet is counted too.
	var ind []struct {
		SideID int64
		Kind   string
		N      int64
	}
	if err := st.db.Read(ctx).Raw(`SELECT side_id, kind, SUM(n) AS n FROM incident_indicator_counts WHERE `+cond+`
		GROUP BY side_id, kind
		UNION ALL SELECT id AS side_id, '#' AS kind, 0 AS n FROM sides WHERE kind = ?`,
		append(args, app.KindDelegation)...).Scan(&ind).Error; err != nil {
		return nil, app.DBErr(err)
	}
	if len(named) > 0 {
		var more []struct {
			SideID int64
			Kind   string
			N      int64
		}
		if err := st.db.Read(ctx).Raw(`SELECT 0 AS side_id, '' AS kind, COUNT(*) AS n FROM incident_indicators
			WHERE incident_id IN ?
			UNION ALL SELECT side_id, kind, COUNT(*) AS n FROM incident_positions
			WHERE incident_id IN ? AND target_type = 'indicator' AND superseded_at IS NULL GROUP BY side_id, kind`,
			named, named).Scan(&more).Error; err != nil {
			return nil, app.DBErr(err)
		}
		ind = append(ind, more...)
	}
	var total int64
	delegations := map[int64]bool{}
	byKind := map[int64]map[string]int64{}
	for _, r := range ind {
		switch {
		case r.Kind == "#":
			delegations[r.SideID] = true
		case r.SideID == 0:
			total += r.N
		default:
			if byKind[r.SideID] == nil {
				byKind[r.SideID] = map[string]int64{}
			}
			byKind[r.SideID][r.Kind] += r.N
		}
	}
	var sides []int64
	for id := range delegations {
		sides = append(sides, id)
	}
	slices.Sort(sides)
	for _, side := range sides {
		none := total
		var kinds []string
		for k, n := range byKind[side] {
			none -= n
			if n > 0 {
				kinds = append(kinds, k)
			}
		}
		if total > 0 && none > 0 {
			out.IndicatorPositions = append(out.IndicatorPositions, Count{Key: "", Side: side, N: none})
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			out.IndicatorPositions = append(out.IndicatorPositions, Count{Key: k, Side: side, N: byKind[side][k]})
		}
	}
	return out, nil
}

// statsScan groups the reported incidents the actor may see by reading
// them all: the counters' twin, held to them by TestStatsCountersAreTheScan.
// The month is the first seven characters of the time reported, as both
// SQLite and PostgreSQL write a timestamp as text (2013-05-31 …).
func (st store) statsScan(ctx context.Context, actor *app.User) (*Stats, error) {
	out := &Stats{}
	reported := func() *gorm.DB {
		return st.db.Read(ctx).Model(&Incident{}).Scopes(visibleIncidents(actor)).Where("incidents.status <> ?", StatusDraft)
	}
	for _, g := range []struct {
		expr string
		into *[]Count
	}{
		{"SUBSTR(CAST(incidents.reported_at AS TEXT), 1, 7)", &out.ByMonth},
		{"incidents.category", &out.ByCategory},
		{"incidents.status", &out.ByStatus},
		{"CAST(incidents.reporting_side_id AS TEXT)", &out.BySide},
	} {
		if err := reported().Select(g.expr + " AS key, COUNT(*) AS n").Group(g.expr).Order("key").Scan(g.into).Error; err != nil {
			return nil, app.DBErr(err)
		}
	}
	// Indicators by each delegation's standing position, none counted as "".
	err := st.db.Read(ctx).Table("incident_indicators AS i").Joins("JOIN incidents ON incidents.id = i.incident_id").
		Scopes(visibleIncidents(actor)).Where("incidents.status <> ?", StatusDraft).
		Joins("CROSS JOIN sides AS d").Where("d.kind = ?", app.KindDelegation).
		Joins(`LEFT JOIN incident_positions AS p ON p.target_type = 'indicator' AND p.target_id = i.id AND p.side_id = d.id
			AND p.superseded_at IS NULL`).
		Select("d.id AS side, COALESCE(p.kind, '') AS key, COUNT(*) AS n").Group("d.id, COALESCE(p.kind, '')").
		Order("side, key").Scan(&out.IndicatorPositions).Error
	return out, app.DBErr(err)
}

// Attachments.

func (tx wtx) createAttachment(a *Attachment) error {
	a.PublicID = app.NewPublicID()
	return tx.Gorm().Create(a).Error
}

// visibleFiles limits attachments to those the actor may see: shared, or
// internal to the actor's side (files on its internal notes).
func visibleFiles(actor *app.User) func(*gorm.DB) *gorm.DB {
	return app.VisibleTo(actor, "incident_attachments.visibility = 'shared'", "incident_attachments.side_id")
}

// attachments lists an incident's files the actor may see, without their content.
// Each names its parent by its opaque identifier (a request's or a comment's).
func (st store) attachments(ctx context.Context, actor *app.User, incidentID int64) ([]Attachment, error) {
	var rows []struct {
		Attachment
		Ref string
	}
	err := st.db.Read(ctx).Table("incident_attachments").Scopes(visibleFiles(actor)).
		Select(`incident_attachments.id, incident_attachments.public_id, incident_attachments.incident_id,
			incident_attachments.parent_type, incident_attachments.parent_id, incident_attachments.side_id,
			incident_attachments.visibility, incident_attachments.name, incident_attachments.media_type,
			incident_attachments.size, incident_attachments.sha256, incident_attachments.uploaded_by,
			incident_attachments.created_at, COALESCE(r.public_id, c.public_id, '') AS ref`).
		Joins(`LEFT JOIN incident_requests AS r ON incident_attachments.parent_type = 'request'
			AND r.id = incident_attachments.parent_id`).
		Joins(`LEFT JOIN comments AS c ON incident_attachments.parent_type = 'comment'
			AND c.id = incident_attachments.parent_id`).
		Where("incident_attachments.incident_id = ?", incidentID).Order("incident_attachments.id").
		Limit(3 * MaxAttachments).Scan(&rows).Error // at most MaxAttachments from each of three sides
	out := make([]Attachment, len(rows))
	for i, r := range rows {
		out[i] = r.Attachment
		out[i].ParentRef = r.Ref
	}
	return out, app.DBErr(err)
}

func (st store) attachment(ctx context.Context, actor *app.User, incidentID int64, publicID string) (*Attachment, error) {
	var a Attachment
	err := st.db.Read(ctx).Omit("content").Scopes(visibleFiles(actor)).
		Where("incident_id = ? AND public_id = ?", incidentID, publicID).Take(&a).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	return &a, nil
}

func (st store) attachmentWithContent(ctx context.Context, actor *app.User, incidentID int64, publicID string) (*Attachment, error) {
	var a Attachment
	err := st.db.Read(ctx).Scopes(visibleFiles(actor)).Where("incident_id = ? AND public_id = ?", incidentID, publicID).
		Take(&a).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	return &a, nil
}

// downloadsOf lists the newest downloads of each of some files, at most
// limit of each, with who downloaded them: one query.
func (st store) downloadsOf(ctx context.Context, attachmentIDs []int64, limit int) ([]Download, error) {
	var rows []struct {
		Download
		UserName string
	}
	err := st.db.Read(ctx).Raw(`SELECT d.id, d.attachment_id, d.user_id, d.at, users.name AS user_name
		FROM (SELECT incident_downloads.*, ROW_NUMBER() OVER (PARTITION BY attachment_id ORDER BY id DESC) AS n
			FROM incident_downloads WHERE attachment_id IN ?) d
		JOIN users ON users.id = d.user_id
		WHERE d.n <= ? ORDER BY d.attachment_id, d.id DESC`, attachmentIDs, limit).Scan(&rows).Error
	out := make([]Download, len(rows))
	for i, r := range rows {
		out[i] = r.Download
		out[i].User = &app.User{ID: r.UserID, Name: r.UserName}
	}
	return out, app.DBErr(err)
}

func (st store) downloads(ctx context.Context, attachmentID int64, limit int) ([]Download, error) {
	var out []Download
	err := st.db.Read(ctx).Joins("User").Where("incident_downloads.attachment_id = ?", attachmentID).
		Order("incident_downloads.id DESC").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// attachmentCount counts the files a side attached to an incident (never
// the other side's, whose internal files it may not know of).
func (st store) attachmentCount(ctx context.Context, incidentID, sideID int64) (int64, error) {
	var n int64
	err := st.db.Read(ctx).Model(&Attachment{}).Where("incident_id = ? AND side_id = ?", incidentID, sideID).Count(&n).Error
	return n, app.DBErr(err)
}
