package app

import (
	"crypto/rand"
	"encoding/hex"
)

// Opaque identifiers. Every record a URL or a form names carries one beside
// its row id: 80 random bits in lower-case hex. Row ids are sequential and
// shared by all sides, so showing them would let one side count the records
// it may not see (the other side's drafts and internal notes) and tell when
// they were written. Row ids stay inside the database and the audit trail.

// publicIDLen is the length of an opaque identifier.
const publicIDLen = 20

// newPublicID returns a fresh opaque identifier.
func newPublicID() string {
	b := make([]byte, publicIDLen/2)
	if _, err := rand.Read(b); err != nil {
		panic("no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// ValidPublicID reports whether s has the form of an opaque identifier.
func ValidPublicID(s string) bool {
	if len(s) != publicIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// The core's kinds of record that URLs and forms name by their opaque
// identifier. Features register their own with RegisterRef.
const (
	RefComment = "comment"
	RefUser    = "user"
	RefSide    = "side"
)

// versionJump returns a random step of 1 to 2^30, for a version number that
// must not tell how often a record changed before it was shared.
func versionJump() int64 {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		panic("no randomness: " + err.Error())
	}
	return int64(uint32(b[0])<<22|uint32(b[1])<<14|uint32(b[2])<<6|uint32(b[3])>>2) + 1
}
