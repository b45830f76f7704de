package agenda

import (
	"context"

	"github.com/parley/parley/app"
)

// Categories lists the categories in display order; archived ones only on request.
func (s *Service) Categories(ctx context.Context, actor *app.User, withArchived bool) ([]Category, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.categories(ctx, withArchived)
}

// CategoryInput is the category form.
type CategoryInput struct {
	NameEN, NameZH string
	Position       int
	Archived       bool
}

func (in *CategoryInput) validate() error {
	in.NameEN, in.NameZH = app.CleanText(in.NameEN), app.CleanText(in.NameZH)
	v := app.Validation{}
	app.CheckText(v, "name_en", in.NameEN, 100, true)
	app.CheckText(v, "name_zh", in.NameZH, 100, true)
	return v.Err()
}

// CreateCategory adds a category (secretariat and administrators). Everyone
// sees the list, so others are refused rather than told it is not there.
func (s *Service) CreateCategory(ctx context.Context, actor *app.User, in CategoryInput) (*Category, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	if !canManageCategories(actor) {
		return nil, app.ErrForbidden
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.core.Clock()
	c := &Category{NameEN: in.NameEN, NameZH: in.NameZH, Position: in.Position, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx wtx) error {
		if err := tx.createCategory(c); err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "category.create", ObjectType: "category", ObjectID: c.ID, Visibility: app.Shared,
			Changes: map[string]any{"name_en": c.NameEN, "name_zh": c.NameZH, "position": c.Position}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCategory renames, reorders or archives a category.
func (s *Service) UpdateCategory(ctx context.Context, actor *app.User, id, version int64, in CategoryInput) error {
	if actor == nil {
		return app.ErrNotFound
	}
	c, err := s.st.categoryByID(ctx, id)
	if err != nil {
		return err
	}
	if !canManageCategories(actor) {
		return app.ErrForbidden
	}
	if err := in.validate(); err != nil {
		return err
	}
	ch := map[string]any{}
	app.Diff(ch, "name_en", c.NameEN, in.NameEN)
	app.Diff(ch, "name_zh", c.NameZH, in.NameZH)
	app.Diff(ch, "position", c.Position, in.Position)
	app.Diff(ch, "archived", c.Archived, in.Archived)
	if len(ch) == 0 {
		return nil
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("categories", id, version, map[string]any{"name_en": in.NameEN,
			"name_zh": in.NameZH, "position": in.Position, "archived": in.Archived}); err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "category.update", ObjectType: "category", ObjectID: id, Visibility: app.Shared, Changes: ch})
	})
}
