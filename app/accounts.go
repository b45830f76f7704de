package app

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
)

// Accounts: users and sides. Account management is shared knowledge (both
// delegations know who sits at the table), so it is audited on the shared
// chain; a person's own settings and sign-ins go to their side's chain.

// UserInput is what an administrator or head fills in for an account.
type UserInput struct {
	Email  string
	Name   string
	SideID int64
	Role   Role
	Admin  bool
	// Password is optional: when empty a temporary password is generated,
	// returned once, and must be changed at first sign-in.
	Password string
}

// UserFilter narrows the account list.
type UserFilter struct {
	SideID int64 // 0: all the actor may see
	Page   Page
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// accountFields cleans an account's email and name and checks them.
func accountFields(email, name *string) Validation {
	*email, *name = normalizeEmail(*email), CleanText(*name)
	v := Validation{}
	if !validEmail(*email) {
		v.Add("email", "email.invalid")
	}
	checkText(v, "name", *name, 100, true)
	return v
}

// CreateUser creates an account. It returns the temporary password when
// none was given.
func (s *Service) CreateUser(ctx context.Context, actor *User, in UserInput) (*User, string, error) {
	if ok, _ := canListAccounts(actor); !ok {
		return nil, "", ErrNotFound
	}
	v := accountFields(&in.Email, &in.Name)
	side, err := s.db.sideByID(ctx, in.SideID)
	if err != nil {
		v.Add("side", "account.side_invalid")
	}
	switch {
	case !in.Role.Valid():
		v.Add("role", "account.role_invalid")
	case side != nil && !roleFitsSide(in.Role, side.Kind):
		v.Add("role", "account.role_wrong_side")
	case side != nil && !canManageAccount(actor, side.ID, in.Role, in.Admin):
		if actor.SideID != side.ID && !actor.Admin {
			v.Add("side", "account.side_not_allowed")
		} else if in.Admin && !canGrantAdmin(actor) {
			v.Add("admin", "account.admin_not_allowed")
		} else {
			v.Add("role", "account.role_not_allowed")
		}
	}
	temp := ""
	if in.Password == "" {
		temp = GeneratePassword()
	} else if p := passwordProblem(in.Password, in.Email, in.Name, strings.Split(in.Email, "@")[0]); p != "" {
		v.Add("password", p)
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	pw := in.Password
	if temp != "" {
		pw = temp
	}
	hash, err := HashPassword(pw, s.Argon)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	u := &User{SideID: side.ID, Side: side, Email: in.Email, Name: in.Name, Role: in.Role, Admin: in.Admin,
		PasswordHash: hash, MustChangePassword: temp != "", Pending: needsConfirmation(actor, side),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.createUser(u); err != nil {
			if isUniqueViolation(err) {
				return Validation{"email": "account.email_taken"}.Err()
			}
			return err
		}
		return tx.audit(actor, Audit{Action: "user.create", ObjectType: "user", ObjectID: u.ID, Visibility: Shared,
			Changes: map[string]any{"email": u.Email, "name": u.Name, "side": side.Code, "role": string(u.Role), "admin": u.Admin,
				"pending": u.Pending}})
	})
	if err != nil {
		return nil, "", err
	}
	return u, temp, nil
}

// ListUsers lists the accounts the actor may manage, by side and name.
func (s *Service) ListUsers(ctx context.Context, actor *User, f UserFilter) (PageOf[User], error) {
	ok, own := canListAccounts(actor)
	if !ok {
		return PageOf[User]{}, ErrNotFound
	}
	if own {
		f.SideID = actor.SideID
	}
	f.Page = f.Page.Normalize()
	return s.db.listUsers(ctx, f)
}

// GetUser returns an account the actor may see on the account pages.
func (s *Service) GetUser(ctx context.Context, actor *User, id int64) (*User, error) {
	ok, own := canListAccounts(actor)
	if !ok {
		return nil, ErrNotFound
	}
	var side int64
	if own {
		side = actor.SideID
	}
	return s.db.userByID(ctx, id, side)
}

// FindUserByEmail returns an account the actor may see on the account pages.
func (s *Service) FindUserByEmail(ctx context.Context, actor *User, email string) (*User, error) {
	u, err := s.db.userByEmail(ctx, normalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if !canSeeAccount(actor, u) {
		return nil, ErrNotFound
	}
	return u, nil
}

// UserHistory returns an account's audit history, for those who may see the account.
func (s *Service) UserHistory(ctx context.Context, actor *User, id int64) ([]AuditRecord, error) {
	if _, err := s.GetUser(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.db.history(ctx, "user", id, visibleChains(actor))
}

// UserEdit is what can be changed on an existing account.
type UserEdit struct {
	Email string
	Name  string
	Role  Role
	Admin bool
}

// UpdateUser changes an account's email, name, role or admin flag.
func (s *Service) UpdateUser(ctx context.Context, actor *User, id, version int64, in UserEdit) (*User, error) {
	u, err := s.GetUser(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	v := accountFields(&in.Email, &in.Name)
	switch {
	case !canManageAccount(actor, u.SideID, u.Role, u.Admin):
		return nil, ErrForbidden
	case !in.Role.Valid():
		v.Add("role", "account.role_invalid")
	case !roleFitsSide(in.Role, u.Side.Kind):
		v.Add("role", "account.role_wrong_side")
	case in.Admin != u.Admin && !canGrantAdmin(actor):
		v.Add("admin", "account.admin_not_allowed")
	case u.ID == actor.ID && u.Admin && !in.Admin:
		v.Add("admin", "account.admin_self")
	case !canManageAccount(actor, u.SideID, in.Role, in.Admin):
		v.Add("role", "account.role_not_allowed")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	ch := map[string]any{}
	Diff(ch, "email", u.Email, in.Email)
	Diff(ch, "name", u.Name, in.Name)
	Diff(ch, "role", string(u.Role), string(in.Role))
	Diff(ch, "admin", u.Admin, in.Admin)
	if len(ch) == 0 {
		return u, nil
	}
	err = s.write(ctx, func(tx *Tx) error {
		err := tx.updateUser(id, version, map[string]any{"email": in.Email, "name": in.Name, "role": string(in.Role), "admin": in.Admin})
		if isUniqueViolation(err) {
			return Validation{"email": "account.email_taken"}.Err()
		}
		if err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "user.update", ObjectType: "user", ObjectID: id, Visibility: Shared, Changes: ch})
	})
	if err != nil {
		return nil, err
	}
	return s.db.userByID(ctx, id, 0)
}

// SetUserDisabled disables or re-enables an account. Disabling ends all of
// its sessions at once.
func (s *Service) SetUserDisabled(ctx context.Context, actor *User, id, version int64, disabled bool) error {
	u, err := s.GetUser(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canManageAccount(actor, u.SideID, u.Role, u.Admin) {
		return ErrForbidden
	}
	if u.ID == actor.ID {
		return Errorf(EINVALID, "account.disable_self")
	}
	if u.Disabled() == disabled {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		fields := map[string]any{"disabled_at": nil}
		action := "user.enable"
		if disabled {
			fields["disabled_at"] = tx.now
			action = "user.disable"
		}
		if err := tx.updateUser(id, version, fields); err != nil {
			return err
		}
		if disabled {
			if err := tx.deleteSessions(id, 0); err != nil {
				return err
			}
		}
		return tx.audit(actor, Audit{Action: action, ObjectType: "user", ObjectID: id, Visibility: Shared,
			Changes: map[string]any{"disabled": []any{!disabled, disabled}}})
	})
}

// ResetPassword gives an account a new temporary password, returned once,
// which must be changed at the next sign-in. All its sessions end.
func (s *Service) ResetPassword(ctx context.Context, actor *User, id, version int64) (string, error) {
	u, err := s.GetUser(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if !canManageAccount(actor, u.SideID, u.Role, u.Admin) {
		return "", ErrForbidden
	}
	temp := GeneratePassword()
	hash, err := HashPassword(temp, s.Argon)
	if err != nil {
		return "", err
	}
	// Whoever holds the temporary password holds the account: unless a head
	// of its own delegation reset it, the delegation must confirm it again.
	pending := u.Pending || needsConfirmation(actor, u.Side)
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.updateUser(id, version, map[string]any{"password_hash": hash, "must_change_password": true,
			"pending": pending}); err != nil {
			return err
		}
		if err := tx.deleteSessions(id, 0); err != nil {
			return err
		}
		ch := map[string]any{}
		Diff(ch, "pending", u.Pending, pending)
		return tx.audit(actor, Audit{Action: "user.password_reset", ObjectType: "user", ObjectID: id, Visibility: Shared, Changes: ch})
	})
	if err != nil {
		return "", err
	}
	return temp, nil
}

// ConfirmMember is a head's confirmation of a pending account of their own
// delegation: from then on it is a member like any other.
func (s *Service) ConfirmMember(ctx context.Context, actor *User, id, version int64) error {
	u, err := s.GetUser(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canConfirmMember(actor, u) {
		return ErrForbidden
	}
	if !u.Pending {
		return Errorf(EINVALID, "account.not_pending")
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateUser(id, version, map[string]any{"pending": false}); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "user.confirm", ObjectType: "user", ObjectID: id, Visibility: Shared,
			Changes: map[string]any{"pending": []any{true, false}}})
	})
}

// PendingMembers lists the pending accounts of the actor's delegation, for its heads.
func (s *Service) PendingMembers(ctx context.Context, actor *User, limit int) ([]User, error) {
	if !isHeadOf(actor, actor.SideID) {
		return nil, nil
	}
	return s.db.pendingUsers(ctx, actor.SideID, limit)
}

// ChangePassword changes the actor's own password after checking the
// current one. Every other session of the actor ends.
func (s *Service) ChangePassword(ctx context.Context, actor *User, keepSessionID int64, current, next, confirm string) error {
	u, err := s.db.userByID(ctx, actor.ID, 0)
	if err != nil {
		return err
	}
	v := Validation{}
	if !CheckPassword(current, u.PasswordHash) {
		v.Add("current_password", "password.current_wrong")
	}
	if p := passwordProblem(next, u.Email, u.Name, strings.Split(u.Email, "@")[0]); p != "" {
		v.Add("new_password", p)
	} else if next == current {
		v.Add("new_password", "password.same")
	}
	if next != confirm {
		v.Add("confirm_password", "password.mismatch")
	}
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(next, s.Argon)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateUser(u.ID, u.Version, map[string]any{"password_hash": hash, "must_change_password": false}); err != nil {
			return err
		}
		if err := tx.deleteSessions(u.ID, keepSessionID); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "user.password_change", ObjectType: "user", ObjectID: u.ID,
			Visibility: Internal, SideID: u.SideID})
	})
}

// UpdateSettings changes the actor's own language and time zone ("" for
// their side's default).
func (s *Service) UpdateSettings(ctx context.Context, actor *User, version int64, lang, tz string) error {
	v := Validation{}
	if lang != "" && !ValidLanguage(lang) {
		v.Add("language", "lang.invalid")
	}
	if tz != "" && !ValidTimeZone(tz) {
		v.Add("time_zone", "tz.invalid")
	}
	if err := v.Err(); err != nil {
		return err
	}
	ch := map[string]any{}
	Diff(ch, "language", actor.Language, lang)
	Diff(ch, "time_zone", actor.TimeZone, tz)
	if len(ch) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateUser(actor.ID, version, map[string]any{"language": lang, "time_zone": tz}); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "user.settings", ObjectType: "user", ObjectID: actor.ID,
			Visibility: Internal, SideID: actor.SideID, Changes: ch})
	})
}

// SetLanguage switches the actor's language from the page header. It
// applies whatever the record's version, as the latest choice wins.
func (s *Service) SetLanguage(ctx context.Context, actor *User, lang string) error {
	if !ValidLanguage(lang) {
		return Validation{"language": "lang.invalid"}.Err()
	}
	if actor.Language == lang {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		cur, err := tx.userByID(actor.ID)
		if err != nil {
			return err
		}
		if err := tx.updateUser(actor.ID, cur.Version, map[string]any{"language": lang}); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "user.settings", ObjectType: "user", ObjectID: actor.ID,
			Visibility: Internal, SideID: actor.SideID, Changes: map[string]any{"language": []any{cur.Language, lang}}})
	})
}

// SideInput is what an administrator fills in for a delegation.
type SideInput struct {
	Code     string
	NameEN   string
	NameZH   string
	TimeZone string
	Language string
}

var sideCode = regexp.MustCompile(`^[A-Z]{2,8}$`)

func (in *SideInput) validate() error {
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.NameEN, in.NameZH = CleanText(in.NameEN), CleanText(in.NameZH)
	v := Validation{}
	if !sideCode.MatchString(in.Code) {
		v.Add("code", "side.code_invalid")
	}
	checkText(v, "name_en", in.NameEN, 100, true)
	checkText(v, "name_zh", in.NameZH, 100, true)
	if !ValidTimeZone(in.TimeZone) {
		v.Add("time_zone", "tz.invalid")
	}
	if !ValidLanguage(in.Language) {
		v.Add("language", "lang.invalid")
	}
	return v.Err()
}

// ListSides lists every side: the delegations and the secretariat are known to all.
func (s *Service) ListSides(ctx context.Context, actor *User) ([]Side, error) {
	if actor == nil {
		return nil, ErrNotFound
	}
	return s.db.listSides(ctx)
}

// ManagedSides lists the sides for the administration pages (admins only).
func (s *Service) ManagedSides(ctx context.Context, actor *User) ([]Side, error) {
	if !canManageSides(actor) {
		return nil, ErrNotFound
	}
	return s.db.listSides(ctx)
}

// ManagedSide returns one side for the administration pages (admins only).
func (s *Service) ManagedSide(ctx context.Context, actor *User, id int64) (*Side, error) {
	if !canManageSides(actor) {
		return nil, ErrNotFound
	}
	return s.db.sideByID(ctx, id)
}

// SideByCode returns a side by its code.
func (s *Service) SideByCode(ctx context.Context, actor *User, code string) (*Side, error) {
	if actor == nil {
		return nil, ErrNotFound
	}
	return s.db.sideByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
}

// CreateDelegation adds a delegation.
func (s *Service) CreateDelegation(ctx context.Context, actor *User, in SideInput) (*Side, error) {
	if !canManageSides(actor) {
		return nil, ErrNotFound
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	side := &Side{Code: in.Code, Kind: KindDelegation, NameEN: in.NameEN, NameZH: in.NameZH, TimeZone: in.TimeZone,
		Language: in.Language, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *Tx) error {
		if err := tx.createSide(side); err != nil {
			if isUniqueViolation(err) {
				return Validation{"code": "side.code_taken"}.Err()
			}
			return err
		}
		return tx.audit(actor, Audit{Action: "side.create", ObjectType: "side", ObjectID: side.ID, Visibility: Shared,
			Changes: map[string]any{"code": side.Code, "name_en": side.NameEN, "name_zh": side.NameZH,
				"time_zone": side.TimeZone, "language": side.Language}})
	})
	if err != nil {
		return nil, err
	}
	return side, nil
}

// UpdateSide edits a delegation or the secretariat.
func (s *Service) UpdateSide(ctx context.Context, actor *User, id, version int64, in SideInput) error {
	if !canManageSides(actor) {
		return ErrNotFound
	}
	side, err := s.db.sideByID(ctx, id)
	if err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	ch := map[string]any{}
	Diff(ch, "code", side.Code, in.Code)
	Diff(ch, "name_en", side.NameEN, in.NameEN)
	Diff(ch, "name_zh", side.NameZH, in.NameZH)
	Diff(ch, "time_zone", side.TimeZone, in.TimeZone)
	Diff(ch, "language", side.Language, in.Language)
	if len(ch) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		err := tx.updateSide(id, version, map[string]any{"code": in.Code, "name_en": in.NameEN, "name_zh": in.NameZH,
			"time_zone": in.TimeZone, "language": in.Language})
		if isUniqueViolation(err) {
			return Validation{"code": "side.code_taken"}.Err()
		}
		if err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "side.update", ObjectType: "side", ObjectID: id, Visibility: Shared, Changes: ch})
	})
}

// SideHistory returns a side's audit history (admins only, like its page).
func (s *Service) SideHistory(ctx context.Context, actor *User, id int64) ([]AuditRecord, error) {
	if _, err := s.ManagedSide(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.db.history(ctx, "side", id, visibleChains(actor))
}

// FeedUser is the enabled account behind a personal calendar feed, as the
// actor for what the feed may show; a feature has checked the feed's token.
func (s *Service) FeedUser(ctx context.Context, id int64) (*User, error) {
	u, err := s.db.userByID(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	if u.Disabled() {
		return nil, ErrNotFound
	}
	return u, nil
}
