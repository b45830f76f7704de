package app

import (
	"context"
	"fmt"
	"strings"
)

// DemoPassword is the password of every demo account. Demo only.
const DemoPassword = "demo-password-2013"

// DemoAccount describes one account of the demo working group.
type DemoAccount struct {
	Email, Name, Side string
	Role              Role
	Admin             bool
}

// DemoAccounts are the accounts of the demo working group.
var DemoAccounts = []DemoAccount{
	{"us.head@parley.example", "Michael Reed", "US", RoleHead, false},
	{"us.delegate@parley.example", "Sarah Collins", "US", RoleDelegate, false},
	{"us.observer@parley.example", "James Porter", "US", RoleObserver, false},
	{"cn.head@parley.example", "王建国", "CN", RoleHead, false},
	{"cn.delegate@parley.example", "李明", "CN", RoleDelegate, false},
	{"cn.observer@parley.example", "张伟", "CN", RoleObserver, false},
	{"secretariat@parley.example", "Anna Lindqvist", "SEC", RoleSecretariat, false},
	{"admin@parley.example", "Parley Administrator", "SEC", RoleSecretariat, true},
}

// SeedDemo loads the demo working group's delegations and accounts into an
// empty database. It does nothing (and returns false) when any account
// exists. Each feature then adds its own demo content (see its SeedDemo).
func (s *Service) SeedDemo(ctx context.Context) (bool, error) {
	n, err := s.db.countUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	sides := map[string]int64{}
	for _, in := range []SideInput{
		{Code: "US", NameEN: "United States delegation", NameZH: "美国代表团", TimeZone: "America/New_York", Language: "en"},
		{Code: "CN", NameEN: "Chinese delegation", NameZH: "中国代表团", TimeZone: "Asia/Shanghai", Language: "zh"},
	} {
		side, err := s.CreateDelegation(ctx, System, in)
		if err != nil {
			return false, fmt.Errorf("demo delegation %s: %w", in.Code, err)
		}
		sides[side.Code] = side.ID
	}
	sec, err := s.db.sideByCode(ctx, "SEC")
	if err != nil {
		return false, err
	}
	sides["SEC"] = sec.ID
	for _, a := range DemoAccounts {
		_, _, err := s.CreateUser(ctx, System, UserInput{Email: a.Email, Name: a.Name, SideID: sides[a.Side],
			Role: a.Role, Admin: a.Admin, Password: DemoPassword})
		if err != nil {
			return false, fmt.Errorf("demo account %s: %w", a.Email, err)
		}
	}
	if err := s.write(ctx, func(tx *Tx) error {
		if err := tx.setSetting("demo", "true"); err != nil {
			return err
		}
		return tx.audit(System, Audit{Action: "demo.seed", ObjectType: "setting", Visibility: Shared})
	}); err != nil {
		return false, err
	}
	return true, nil
}

// IsDemo reports whether the database holds the demo working group.
func (s *Service) IsDemo(ctx context.Context) bool {
	v, _ := s.db.setting(ctx, "demo")
	return v == "true"
}

// DemoUsers are the demo accounts as they are now, by the part of their
// address before the "@" ("us.head", "secretariat", …), for the features'
// demo content.
func (s *Service) DemoUsers(ctx context.Context) (map[string]*User, error) {
	out := map[string]*User{}
	for _, a := range DemoAccounts {
		u, err := s.FindUserByEmail(ctx, System, a.Email)
		if err != nil {
			return nil, err
		}
		out[a.Email[:strings.IndexByte(a.Email, '@')]] = u
	}
	return out, nil
}
