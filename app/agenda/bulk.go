package agenda

import (
	"context"
	"fmt"
	"time"

	"github.com/parley/parley/app"
)

// BulkInput says how large a body of records SeedBulk adds, to measure
// Parley as a working group that has met for years.
type BulkInput struct {
	Items    int // agenda items, of both sides and every status
	Comments int // comments and internal notes, spread over the items
	Thread   int // comments on one item, for a very long thread
}

// bulkBatch is the number of items written per transaction.
const bulkBatch = 250

// SeedBulk adds a large, realistic body of agenda records to the demo
// working group: drafts of both sides (internal), tabled, adopted and
// withdrawn items, concurrences and objections, comments and internal notes
// on both sides, and one very long thread. Every record is written with its
// audit record, as the services write it, so the audit chains still verify;
// it writes in large transactions, which only a fresh demo database (no one
// at work on it) should get. The text is not validated again: it is Parley's own.
func (s *Service) SeedBulk(ctx context.Context, in BulkInput) error {
	acct := map[string]*app.User{}
	for _, short := range []string{"us.head", "us.delegate", "cn.head", "cn.delegate", "secretariat"} {
		u, err := s.core.FindUserByEmail(ctx, app.System, short+"@parley.example")
		if err != nil {
			return fmt.Errorf("the bulk records need the demo accounts: %w", err)
		}
		acct[short] = u
	}
	cats, err := s.st.categories(ctx, false)
	if err != nil || len(cats) == 0 {
		return fmt.Errorf("the bulk records need the demo categories: %v", err)
	}
	heads := []*app.User{acct["us.head"], acct["cn.head"]}
	writers := []*app.User{acct["us.delegate"], acct["cn.delegate"]}
	var tabled []*Item
	for start := 0; start < in.Items; start += bulkBatch {
		err := s.write(ctx, func(tx wtx) error {
			for i := start; i < min(start+bulkBatch, in.Items); i++ {
				by := writers[i%2]
				it := &Item{SideID: by.SideID, AuthorID: by.ID, CategoryID: cats[i%len(cats)].ID, Status: StatusDraft,
					Title: bulkTitle(i), Description: bulkText(i), Language: []string{"en", "zh"}[i%2],
					DurationMinutes: 15 + i%8*15, Revision: 1, Version: 1, CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
				if err := tx.createItem(it); err != nil {
					return err
				}
				if err := tx.Audit(by, itemAudit(it, "agenda.create", map[string]any{"title": it.Title,
					"description": it.Description, "language": it.Language})); err != nil {
					return err
				}
				if i%5 == 0 { // a fifth stay drafts, internal to their side
					continue
				}
				now, next := tx.Now(), it.Version+app.VersionJump()
				if err := tx.UpdateVersioned("agenda_items", it.ID, it.Version, map[string]any{"status": StatusProposed,
					"tabled_at": now, "version": next}); err != nil {
					return err
				}
				it.Status, it.TabledAt, it.Version = StatusProposed, &now, next
				if err := tx.FixParties(it.ref()); err != nil {
					return err
				}
				if err := tx.AddRevision(it.ref(), 1, it.Title, it.Description, by.ID, nil); err != nil {
					return err
				}
				if err := tx.Audit(by, itemAudit(it, "agenda.table", map[string]any{"status": []any{"draft", "proposed"},
					"revision": 1})); err != nil {
					return err
				}
				if err := s.bulkDecisions(tx, it, i, heads); err != nil {
					return err
				}
				tabled = append(tabled, it)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return s.bulkComments(ctx, in, tabled, writers, acct["secretariat"])
}

// bulkDecisions gives a tabled item the decisions of its place in the
// cycle: none, one concurrence, an objection, adoption, or withdrawal.
func (s *Service) bulkDecisions(tx wtx, it *Item, i int, heads []*app.User) error {
	decide := func(head *app.User, k app.DecisionKind, reason string) error {
		ch := map[string]any{"side": head.Side.Code, "revision": 1}
		if reason != "" {
			ch["reason"] = reason
		}
		return tx.Decide(head, it.ref(), 1, k, reason, itemAudit(it, "agenda."+string(k), ch))
	}
	switch i % 5 {
	case 1: // awaiting the other side
		return decide(heads[i%2], Concur, "")
	case 2: // contested
		if err := decide(heads[i%2], Concur, ""); err != nil {
			return err
		}
		return decide(heads[(i+1)%2], Object, "The text must be balanced.")
	case 3: // adopted
		for _, h := range heads {
			if err := decide(h, Concur, ""); err != nil {
				return err
			}
		}
		adopted, err := tx.adoptIfAllConcur(it.ID, 1)
		if err != nil || !adopted {
			return err
		}
		it.Status, it.Version = StatusAdopted, it.Version+1
		return tx.Audit(heads[0], itemAudit(it, "agenda.adopt", map[string]any{"status": []any{"proposed", "adopted"}, "revision": 1}))
	case 4: // withdrawn
		if err := tx.UpdateVersioned("agenda_items", it.ID, it.Version, map[string]any{"status": StatusWithdrawn}); err != nil {
			return err
		}
		it.Status, it.Version = StatusWithdrawn, it.Version+1
		return tx.Audit(heads[i%2], itemAudit(it, "agenda.withdraw", map[string]any{"status": []any{"proposed", "withdrawn"}}))
	}
	return nil
}

// bulkComments spreads comments and internal notes over the tabled items
// and puts a very long thread on the first one.
func (s *Service) bulkComments(ctx context.Context, in BulkInput, tabled []*Item, writers []*app.User, sec *app.User) error {
	if len(tabled) == 0 {
		return nil
	}
	type one struct {
		it *Item
		n  int
	}
	var work []one
	for i := 0; i < in.Comments; i++ {
		work = append(work, one{it: tabled[(i*7)%len(tabled)], n: i})
	}
	for i := 0; i < in.Thread; i++ {
		work = append(work, one{it: tabled[0], n: i})
	}
	for start := 0; start < len(work); start += 4 * bulkBatch {
		err := s.write(ctx, func(tx wtx) error {
			for _, w := range work[start:min(start+4*bulkBatch, len(work))] {
				by, vis := writers[w.n%2], app.Shared
				switch w.n % 4 {
				case 1:
					vis = app.Internal // a note only the writer's side sees
				case 3:
					by = sec
				}
				if _, err := tx.AddComment(by, w.it.ref(), vis, fmt.Sprintf("Comment %d on %q: %s", w.n, w.it.Title,
					bulkText(w.n))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

var bulkSubjects = []string{"Points of contact", "Incident information exchange", "Norms of state behaviour",
	"网络空间国际规则", "建立信任措施", "Protection of critical infrastructure", "关键基础设施保护", "Working-level meetings"}

func bulkTitle(i int) string {
	return fmt.Sprintf("%s %d", bulkSubjects[i%len(bulkSubjects)], i)
}

func bulkText(i int) string {
	if i%2 == 1 {
		return "双方同意在工作组框架内继续就此进行交流，并在下一次对话前提出具体建议。"
	}
	return "The two sides agree to continue the exchange within the working group and to table concrete proposals " +
		"before the next dialogue (" + time.Date(2013, 7, 10, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format("2 January 2006") + ")."
}
