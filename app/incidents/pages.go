package incidents

import (
	"context"

	"github.com/parley/parley/app"
)

// What each page of an incident reads, in one call that loads the incident
// once for the actor and then only what the page shows: every page costs a
// fixed number of statements, whatever the incident carries.

// RefClaim, RefIndicator, RefRequest and RefAttachment are the kinds of
// opaque identifier of an incident's parts in forms and URLs.
const (
	RefClaim     = "incident_claim"
	RefIndicator = "incident_indicator"
	RefRequest   = "incident_request"
)

// View is an incident's main page: the incident with its sectors, named
// recipients and translation, its claims with each side's positions and
// the official positions, and a page of its thread. Six queries.
type View struct {
	Incident *Incident
	Claims   *ClaimsView
	Thread   app.ThreadPage
}

// View loads an incident's main page for the actor.
func (s *Service) View(ctx context.Context, actor *app.User, publicID string, cur app.ThreadCursor) (*View, error) {
	inc, err := s.Get(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &View{Incident: inc}
	if v.Claims, err = s.claimsOf(ctx, inc); err != nil {
		return nil, err
	}
	if v.Thread, err = s.core.ThreadOf(ctx, actor, record(actor, inc), cur); err != nil {
		return nil, err
	}
	return v, nil
}

// Record is an incident as the record parts see it (for its comment
// thread), loaded for the actor.
func Record(actor *app.User, inc *Incident) *app.Record { return record(actor, inc) }

// PositionsView is the positions page: the claims and the official
// positions, and the heads' agreements to close standing.
type PositionsView struct {
	Incident *Incident
	Claims   *ClaimsView
	// CloseAgreed holds the delegations whose heads agreed that the
	// secretariat close the incident; Parties are the delegations.
	Parties     []int64
	CloseAgreed map[int64]bool
}

// AllAgreedToClose reports whether every delegation's head has agreed.
func (v *PositionsView) AllAgreedToClose() bool {
	for _, p := range v.Parties {
		if !v.CloseAgreed[p] {
			return false
		}
	}
	return len(v.Parties) > 0
}

// Positions loads the positions page: four queries.
func (s *Service) Positions(ctx context.Context, actor *app.User, publicID string) (*PositionsView, error) {
	inc, err := s.only(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &PositionsView{Incident: inc, CloseAgreed: map[int64]bool{}}
	if v.Claims, err = s.claimsOf(ctx, inc); err != nil {
		return nil, err
	}
	if inc.Status.Shared() {
		parties, standing, err := s.core.PartiesAndStanding(ctx, actor, record(actor, inc))
		if err != nil {
			return nil, err
		}
		v.Parties = parties
		for _, p := range parties {
			if d := standing.For(p); d != nil && d.Kind == DecideClose {
				v.CloseAgreed[p] = true
			}
		}
	}
	return v, nil
}

// only loads an incident by its opaque identifier without its sectors and
// recipients: one query.
func (s *Service) only(ctx context.Context, actor *app.User, publicID string) (*Incident, error) {
	if actor == nil || !app.ValidPublicID(publicID) {
		return nil, app.ErrNotFound
	}
	return s.st.incidentOnly(ctx, actor, "public_id", publicID)
}

// IndicatorsPage loads a page of an incident's indicators: five queries.
func (s *Service) IndicatorsPage(ctx context.Context, actor *app.User, publicID string, f IndicatorFilter) (*Incident, *IndicatorList, error) {
	inc, err := s.only(ctx, actor, publicID)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.indicatorsOf(ctx, actor, inc, f)
	return inc, list, err
}

// RequestsPage loads an incident's information requests and the files
// attached to them: three queries.
func (s *Service) RequestsPage(ctx context.Context, actor *app.User, publicID string) (*Incident, []Request, []Attachment, error) {
	inc, err := s.only(ctx, actor, publicID)
	if err != nil {
		return nil, nil, nil, err
	}
	reqs, err := s.st.requests(ctx, inc.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	files, err := s.st.attachments(ctx, actor, inc.ID)
	return inc, reqs, files, err
}

// FileRow is an attached file with, for its uploading side, its newest
// downloads.
type FileRow struct {
	Attachment
	Downloads []Download // only for the side that attached it
}

// MaxDownloadsShown is how many downloads of each file its page lists.
const MaxDownloadsShown = 20

// AttachmentsPage loads an incident's files the actor may see and, for
// the files the actor's side attached, who downloaded them: three queries.
func (s *Service) AttachmentsPage(ctx context.Context, actor *app.User, publicID string) (*Incident, []FileRow, error) {
	inc, err := s.only(ctx, actor, publicID)
	if err != nil {
		return nil, nil, err
	}
	files, err := s.st.attachments(ctx, actor, inc.ID)
	if err != nil {
		return nil, nil, err
	}
	var own []int64
	for _, a := range files {
		if canSeeDownloads(actor, &a) {
			own = append(own, a.ID)
		}
	}
	byFile := map[int64][]Download{}
	if len(own) > 0 {
		downloads, err := s.st.downloadsOf(ctx, own, MaxDownloadsShown)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range downloads {
			byFile[d.AttachmentID] = append(byFile[d.AttachmentID], d)
		}
	}
	rows := make([]FileRow, len(files))
	for i, a := range files {
		rows[i] = FileRow{Attachment: a, Downloads: byFile[a.ID]}
	}
	return inc, rows, nil
}

// History is one page of an incident's history (page 0: the newest) on
// the chains the actor may see: two queries.
func (s *Service) History(ctx context.Context, actor *app.User, publicID string, page int) (*Incident, app.PageOf[app.AuditRecord], error) {
	inc, err := s.only(ctx, actor, publicID)
	if err != nil {
		return nil, app.PageOf[app.AuditRecord]{}, err
	}
	recs, err := s.core.HistoryOf(ctx, actor, record(actor, inc), page)
	return inc, recs, err
}

// Only loads an incident the actor may see by its opaque identifier, for
// a page that shows only its head (a form): one query.
func (s *Service) Only(ctx context.Context, actor *app.User, publicID string) (*Incident, error) {
	return s.only(ctx, actor, publicID)
}

// Candidates are, for a RED incident loaded for the actor, the accounts
// its reporting side may name as recipients: the confirmed, enabled
// members of the addressed delegation and of the secretariat, by name (the
// page names the recipients among them; the reporting side chooses). For
// any other marking, none. One query.
func (s *Service) Candidates(ctx context.Context, actor *app.User, inc *Incident) ([]app.User, error) {
	if inc.TLP != TLPRed || !canSee(actor, inc, inc.Recipient) {
		return nil, nil
	}
	return s.st.candidates(ctx, inc.AddressedSideID)
}

// SetTranslation saves the title and summary of a reported incident in the
// other language, tied to its current revision (the shared translations
// part), if the translation is still at version.
func (s *Service) SetTranslation(ctx context.Context, actor *app.User, id, version int64, title, summary string) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !app.CanWrite(actor) {
		return app.ErrForbidden
	}
	return s.core.SetTranslation(ctx, actor, app.Ref{Kind: KindIncident, ID: inc.ID}, app.TranslationInput{
		Language: inc.TranslationLanguage(), Title: title, Body: summary, Version: version, Action: "incident.translate"})
}

// Visible returns an incident the actor may see, by its row id (for the
// features that link to incidents): one query.
func (s *Service) Visible(ctx context.Context, actor *app.User, id int64) (*Incident, error) {
	return s.byID(ctx, actor, id)
}

// RequestVisible returns an information request on an incident the actor
// may see, by its row id, with its incident: two queries.
func (s *Service) RequestVisible(ctx context.Context, actor *app.User, requestID int64) (*Request, *Incident, error) {
	r, err := s.st.requestByID(ctx, requestID)
	if err != nil {
		return nil, nil, err
	}
	inc, err := s.byID(ctx, actor, r.IncidentID)
	if err != nil {
		return nil, nil, err
	}
	return r, inc, nil
}
