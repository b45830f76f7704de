package web

import (
	"fmt"
	"testing"
)

func TestZZProbe(t *testing.T) {
	ts := newTestServer(t)
	r := ts.client().get("/static/style.css")
	fmt.Println(r.StatusCode, r.Header)
	c := ts.as("admin@parley.example")
	r = c.get("/static/style.css")
	fmt.Println(r.StatusCode, r.Header)
	r = c.get("/no-such-page")
	fmt.Println(r.StatusCode, r.Header, r.Body)
}
