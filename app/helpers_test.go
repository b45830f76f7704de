package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// fastArgon keeps tests quick; the encoded hash carries its own parameters.
var fastArgon = ArgonParams{Memory: 64, Time: 1, Threads: 1}

// clock is a movable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// newTestService opens a fresh temp-file database with the demo working group.
func newTestService(t *testing.T) (*Service, *clock) {
	t.Helper()
	ctx := context.Background()
	db, err := OpenDB(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := NewService(db)
	c := &clock{t: time.Date(2013, 7, 10, 9, 0, 0, 0, time.UTC)}
	s.Now = c.now
	s.Argon = fastArgon
	if seeded, err := s.SeedDemo(ctx); err != nil || !seeded {
		t.Fatalf("seed demo: %v %v", seeded, err)
	}
	return s, c
}

// user returns a demo account by email.
func user(t *testing.T, s *Service, email string) *User {
	t.Helper()
	u, err := s.db.userByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return u
}
