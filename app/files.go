package app

import (
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// Evidence files, as every feature takes them: typed by their content,
// never by their name; only documents, images, text, data, archives and
// packet captures.

// DefaultMaxFile is the largest file taken unless the server is configured
// otherwise.
const DefaultMaxFile = 20 << 20

// evidenceTypes are the media types taken, as decided by content.
var evidenceTypes = []string{"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv", "application/json",
	"application/zip", "application/vnd.tcpdump.pcap"}

// EvidenceType decides a file's type by its content: one of the types
// taken, or "". A type is taken as detected (HTML is no plain text), except
// that formats built on ZIP (office documents, say) are taken as ZIP archives.
func EvidenceType(data []byte) string {
	m := mimetype.Detect(data)
	base, _, _ := strings.Cut(m.String(), ";")
	for _, t := range evidenceTypes {
		if base == t {
			return t
		}
	}
	for p := m.Parent(); p != nil; p = p.Parent() {
		if p.Is("application/zip") {
			return "application/zip"
		}
	}
	return ""
}

// CleanFileName keeps a file name's last part, without path or control characters.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(CleanText(name))
}
