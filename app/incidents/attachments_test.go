package incidents

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

var samplePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// Files: typed by content, limited in size, hashed; downloaded only by those
// who may see the incident, each download recorded for the uploading side.
func TestEvidenceFiles(t *testing.T) {
	f := newFix(t)
	f.s.MaxAttachment = 1 << 10
	inc := f.reported("With evidence", TLPAmber)
	a, err := f.s.Attach(f.ctx, f.u["cn.delegate"], inc.ID, TargetIncident, 0, `C:\logs\..\report.pdf`, samplePDF)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(samplePDF)
	if a.Name != "report.pdf" || a.MediaType != "application/pdf" || a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(samplePDF)) {
		t.Fatalf("the attachment: %+v", a)
	}
	for name, c := range map[string]struct {
		file, field string
		data        []byte
	}{
		"an executable named .pdf": {"x.pdf", "file", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")},
		"HTML":                     {"page.txt", "file", []byte("<html><script>alert(1)</script></html>")},
		"too large":                {"big.txt", "file", bytes.Repeat([]byte("a"), 2<<10)},
		"empty":                    {"empty.txt", "file", nil},
		"no name":                  {" ", "name", []byte("text")},
	} {
		if _, err := f.s.Attach(f.ctx, f.u["cn.delegate"], inc.ID, TargetIncident, 0, c.file, c.data); app.FieldErrors(err)[c.field] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	pcap := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0}
	if b, err := f.s.Attach(f.ctx, f.u["us.head"], inc.ID, TargetIncident, 0, "capture.pcap", pcap); err != nil ||
		b.MediaType != "application/vnd.tcpdump.pcap" {
		t.Fatalf("a packet capture: %+v %v", b, err)
	}
	if _, err := f.s.Attach(f.ctx, f.u["us.observer"], inc.ID, TargetIncident, 0, "x.txt", []byte("x")); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("an observer attaches: %v", err)
	}
	// Downloads: content intact, recorded, the record shown to the uploading side only.
	got, err := f.s.Download(f.ctx, f.u["us.observer"], inc.ID, a.PublicID)
	if err != nil || !bytes.Equal(got.Content, samplePDF) {
		t.Fatalf("download: %v", err)
	}
	if _, err := f.s.Download(f.ctx, f.u["secretariat"], inc.ID, a.PublicID); err != nil {
		t.Fatal(err)
	}
	ds, err := f.s.Downloads(f.ctx, f.u["cn.observer"], inc.ID, a.PublicID, 50)
	if err != nil || len(ds) != 2 || ds[0].User == nil || ds[0].UserID != f.u["secretariat"].ID {
		t.Fatalf("downloads seen by the uploading side: %+v %v", ds, err)
	}
	if _, err := f.s.Downloads(f.ctx, f.u["us.head"], inc.ID, a.PublicID, 50); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the other side reads who downloaded: %v", err)
	}
	// A RED incident's file is not found for someone not named.
	red := f.reported("Red evidence", TLPRed)
	r, err := f.s.Attach(f.ctx, f.u["cn.head"], red.ID, TargetIncident, 0, "red.txt", []byte("only for the named"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Download(f.ctx, f.u["us.head"], red.ID, r.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the US head downloads a RED file: %v", err)
	}
	if _, err := f.s.Download(f.ctx, f.u["us.head"], inc.ID, r.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a RED file through another incident: %v", err)
	}
	list, err := f.s.Attachments(f.ctx, f.u["secretariat"], inc.ID)
	if err != nil || len(list) != 2 || list[0].Content != nil {
		t.Fatalf("the list: %d files, content read: %v (%v)", len(list), list[0].Content != nil, err)
	}
}

// A file on a side's internal note is that side's alone: the other side and
// the secretariat neither list nor download it; a file on a shared comment
// is everyone's who sees the incident.
func TestFilesOnComments(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Files on comments", TLPGreen)
	ref := app.Ref{Kind: KindIncident, ID: inc.ID}
	note, err := f.s.core.AddComment(f.ctx, f.u["us.delegate"], ref, app.Internal, "Our analysis, attached.")
	if err != nil {
		t.Fatal(err)
	}
	shared, err := f.s.core.AddComment(f.ctx, f.u["cn.delegate"], ref, app.Shared, "Our logs, attached.")
	if err != nil {
		t.Fatal(err)
	}
	internal, err := f.s.Attach(f.ctx, f.u["us.delegate"], inc.ID, TargetComment, note.ID, "analysis.txt", []byte("US only"))
	if err != nil || internal.Visibility != app.Internal {
		t.Fatalf("a file on an internal note: %+v %v", internal, err)
	}
	if _, err := f.s.Attach(f.ctx, f.u["cn.delegate"], inc.ID, TargetComment, note.ID, "x.txt", []byte("x")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the CN side attaches to a US note: %v", err)
	}
	if _, err := f.s.Attach(f.ctx, f.u["us.head"], inc.ID, TargetComment, shared.ID, "reply.txt", []byte("a reply")); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int{"us.observer": 2, "cn.head": 1, "secretariat": 1} {
		list, err := f.s.Attachments(f.ctx, f.u[who], inc.ID)
		if err != nil || len(list) != want {
			t.Errorf("%s lists %d files (%v), want %d", who, len(list), err, want)
		}
	}
	for _, who := range []string{"cn.head", "secretariat"} {
		if _, err := f.s.Download(f.ctx, f.u[who], inc.ID, internal.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("%s downloads the US internal file: %v", who, err)
		}
	}
	if got, err := f.s.Download(f.ctx, f.u["us.head"], inc.ID, internal.PublicID); err != nil || string(got.Content) != "US only" {
		t.Fatalf("the US head downloads the US file: %v", err)
	}
	_, recs, _ := f.s.core.History(f.ctx, f.u["cn.head"], ref)
	for _, r := range recs {
		if strings.Contains(r.Changes, "analysis.txt") {
			t.Errorf("the CN side reads of the US file in the history: %s", r.Action)
		}
	}
}
