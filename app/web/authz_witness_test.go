package web

import (
	"crypto/rand"
	"net/url"

	"golang.org/x/mod/sumdb/note"
)

// The witness tokens' rows of the authorization matrix: a delegation's
// confirmed heads manage their delegation's tokens; nobody else may, the
// secretariat and the administrator included. (The witness API itself is
// authenticated by the token, not by a session: witness_http_test.go.)
func init() { authzMatrix = append(authzMatrix, witnessMatrix...) }

var (
	// columns:  us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
	delegationHeads200 = [8]outcome{o200, o403, o403, o200, o403, o403, o403, o403}
	delegationHeads404 = [8]outcome{o404, o403, o403, o404, o403, o403, o403, o403}
)

func witnessKeyForm(azForm) url.Values {
	_, vkey, err := note.GenerateKey(rand.Reader, "matrix-witness")
	if err != nil {
		panic(err)
	}
	return url.Values{"label": {"Witness on the delegation's machine"}, "key": {vkey}}
}

var witnessMatrix = []authzCase{
	{route: "GET /account/witnesses", what: "the delegation's witness tokens", want: delegationHeads200},
	{route: "POST /account/witnesses", what: "make a witness token", form: witnessKeyForm, want: delegationHeads200},
	// No token of this identifier exists: a head is told so; anyone else may not revoke at all.
	{route: "POST /account/witnesses/:id/revoke", target: "id:0123456789abcdef0123", what: "revoke a witness token",
		want: delegationHeads404},
}
