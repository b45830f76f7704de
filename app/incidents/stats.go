package incidents

import (
	"context"

	"github.com/parley/parley/app"
)

// Statistics: reported incidents per month, category, status and reporting
// side, and indicators by each delegation's position — counted over what
// the actor may see (drafts are no one's statistics), in five queries.

// Count is one bar of a chart: a key (a month "2013-05", a category, a
// status, a side's id or a position) and its number.
type Count struct {
	Key  string
	Side int64 // for indicators by position: the side whose position it is
	N    int64
}

// Stats are the incidents' statistics as the actor may see them.
type Stats struct {
	ByMonth, ByCategory, ByStatus, BySide []Count
	// IndicatorPositions counts indicators by each side's standing
	// position; Key "" counts those a side has taken no position on.
	IndicatorPositions []Count
}

// Stats counts the reported incidents the actor may see.
func (s *Service) Stats(ctx context.Context, actor *app.User) (*Stats, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.stats(ctx, actor)
}
