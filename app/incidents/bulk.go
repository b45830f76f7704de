package incidents

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley/parley/app"
)

// Bulk records for measuring: `parley seed --incidents N` and `make bench`
// fill a demo database with many incidents, and one incident with many
// indicators, written straight through the store in batches (each batch
// one transaction with its audit records), as the pages would find them.

// BulkInput says how many records to add.
type BulkInput struct {
	Incidents  int // incidents, of both sides, most of them reported
	Indicators int // indicators on the demo's Chinese report
}

const bulkBatch = 500

var bulkSubjects = []string{"Scanning of research networks", "Defacement of municipal websites",
	"Phishing against ministry staff", "Denial of service against a news portal", "Malware in a supplier's update",
	"对高校网站的扫描", "对政府网站的篡改", "针对科研机构的钓鱼邮件"}

// SeedBulk adds the records, on a database that has the demo working group.
// Of the incidents, a tenth stay drafts (internal to their side), a
// twentieth are RED (named to the other side's head), the rest are reported
// GREEN or AMBER and indexed for search.
func (s *Service) SeedBulk(ctx context.Context, in BulkInput) error {
	acct, err := s.core.DemoUsers(ctx)
	if err != nil {
		return fmt.Errorf("the bulk records need the demo accounts: %w", err)
	}
	writers := []*app.User{acct["us.delegate"], acct["cn.delegate"]}
	heads := []*app.User{acct["cn.head"], acct["us.head"]} // the other side's head, as a RED recipient
	statuses := []Status{StatusReported, StatusAcknowledged, StatusInvestigating, StatusResponded, StatusClosed}
	for start := 0; start < in.Incidents; start += bulkBatch {
		err := s.write(ctx, func(tx wtx) error {
			for i := start; i < min(start+bulkBatch, in.Incidents); i++ {
				by, other := writers[i%2], writers[1-i%2]
				now := tx.Now()
				inc := &Incident{ReportingSideID: by.SideID, AddressedSideID: other.SideID, AuthorID: by.ID,
					Status: statuses[i%len(statuses)], TLP: []TLP{TLPGreen, TLPAmber, TLPClear}[i%3],
					Category: Categories[i%len(Categories)], Title: fmt.Sprintf("%s %d", bulkSubjects[i%len(bulkSubjects)], i),
					Summary: "Seen from the addresses listed; the other side is asked to look into it.", Language: []string{"en", "zh"}[i%2],
					Sectors: []Sector{Sectors[i%len(Sectors)]}, Revision: 1, ReportedAt: &now, Version: 1, CreatedAt: now, UpdatedAt: now}
				switch {
				case i%10 == 9:
					inc.Status, inc.Revision, inc.ReportedAt = StatusDraft, 0, nil
				case i%20 == 3:
					inc.TLP = TLPRed
				}
				if err := tx.createIncident(inc); err != nil {
					return err
				}
				if inc.TLP == TLPRed {
					if err := tx.setRecipients(inc.ID, []int64{heads[i%2].ID}); err != nil {
						return err
					}
				}
				if inc.Status.Shared() {
					if err := tx.IndexText(app.Ref{Kind: KindIncident, ID: inc.ID}, app.SearchText, inc.Title, inc.Summary); err != nil {
						return err
					}
				}
				if err := tx.Audit(by, audit(inc, "incident.create", map[string]any{"title": inc.Title, "tlp": string(inc.TLP)})); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if in.Indicators == 0 {
		return nil
	}
	cn, err := s.st.demoReport(ctx, acct["cn.delegate"].SideID)
	if err != nil {
		return err
	}
	for done := 0; done < in.Indicators; done += MaxBulkLines {
		var lines strings.Builder
		for i := done; i < min(done+MaxBulkLines, in.Indicators); i++ {
			fmt.Fprintf(&lines, "10.%d.%d.%d\n", i/65536%256, i/256%256, i%256)
		}
		inc, err := s.byID(ctx, acct["cn.delegate"], cn)
		if err != nil {
			return err
		}
		if _, err := s.AddIndicators(ctx, acct["cn.delegate"], inc.ID, inc.Version, lines.String(), RoleSource, false); err != nil {
			return err
		}
	}
	return nil
}
