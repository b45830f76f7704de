package incidents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/parley/parley/app"
)

// Evidence: files attached to an incident, to an information request or to
// a comment (a file on an internal note is internal to its side) by
// a head or delegate of either delegation of the incident. A file's type is
// decided by its content, never by its name; only documents, images, text,
// data, archives and packet captures are taken; its SHA-256 is computed as
// it arrives. Files are served only as downloads to those who may see the
// incident, and every download is recorded for the uploading side to see.

// Attachment is a file attached to an incident or a request.
type Attachment struct {
	ID         int64
	PublicID   string
	IncidentID int64
	ParentType Target // TargetIncident, or "request"
	ParentID   int64
	SideID     int64 // the uploader's side
	// Visibility: a file on a side's internal note is internal to that side.
	Visibility app.Visibility
	Name       string
	MediaType  string
	Size       int64
	SHA256     string `gorm:"column:sha256"`
	Content    []byte // read only by Download
	UploadedBy int64
	CreatedAt  time.Time
	// ParentRef is the parent's opaque identifier (a request's or a
	// comment's), filled when files are listed.
	ParentRef string `gorm:"-"`
}

// TableName is the attachments' table.
func (Attachment) TableName() string { return "incident_attachments" }

// Other parents of an attachment: an information request, a comment.
const (
	TargetRequest Target = "request"
	TargetComment Target = "comment"
)

// Download is one recorded download of an attachment.
type Download struct {
	ID           int64
	AttachmentID int64
	UserID       int64
	At           time.Time
	User         *app.User `gorm:"foreignKey:UserID"`
}

// TableName is the downloads' table.
func (Download) TableName() string { return "incident_downloads" }

// DefaultMaxAttachment is the largest file taken unless the server is
// configured otherwise (Service.MaxAttachment).
const DefaultMaxAttachment = app.DefaultMaxFile

// MaxFileSize is the largest file taken, in bytes.
func (s *Service) MaxFileSize() int64 {
	if s.MaxAttachment > 0 {
		return s.MaxAttachment
	}
	return DefaultMaxAttachment
}

// MaxAttachments is the most files an incident takes from each side.
const MaxAttachments = 500

// Attach attaches a file to an incident (parent TargetIncident, parentID
// the incident's id) or to one of its requests (TargetRequest).
func (s *Service) Attach(ctx context.Context, actor *app.User, incidentID int64, parent Target, parentID int64,
	name string, data []byte) (*Attachment, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	if !canSetPosition(actor, inc, actor.SideID) {
		return nil, app.ErrForbidden
	}
	vis := app.Shared
	switch parent {
	case TargetIncident:
		parentID = inc.ID
	case TargetComment:
		c, err := s.core.CommentOf(ctx, actor, record(actor, inc), parentID)
		if err != nil {
			return nil, err
		}
		vis = c.Visibility // a file on an internal note is internal to its side
	case TargetRequest:
		r, err := s.st.request(ctx, inc.ID, parentID)
		if err != nil {
			return nil, err
		}
		if actor.SideID != r.AskedSideID && actor.SideID != r.AskingSideID {
			return nil, app.ErrForbidden
		}
	default:
		return nil, app.ErrNotFound
	}
	name = app.CleanFileName(name)
	v := app.Validation{}
	app.CheckText(v, "name", name, MaxTitleLen, true)
	limit := s.MaxAttachment
	if limit <= 0 {
		limit = DefaultMaxAttachment
	}
	mt := ""
	switch {
	case len(data) == 0:
		v.Add("file", "attachment.empty")
	case int64(len(data)) > limit:
		v.Add("file", "attachment.too_large")
	default:
		if mt = app.EvidenceType(data); mt == "" {
			v.Add("file", "attachment.type_refused")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if n, err := s.st.attachmentCount(ctx, inc.ID, actor.SideID); err != nil {
		return nil, err
	} else if n >= MaxAttachments {
		return nil, app.Errorf(app.EINVALID, "attachment.too_many")
	}
	sum := sha256.Sum256(data)
	a := &Attachment{IncidentID: inc.ID, ParentType: parent, ParentID: parentID, SideID: actor.SideID, Visibility: vis, Name: name,
		MediaType: mt, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Content: data, UploadedBy: actor.ID}
	err = s.write(ctx, func(tx wtx) error {
		a.CreatedAt = tx.Now()
		if err := tx.createAttachment(a); err != nil {
			return err
		}
		rec := audit(inc, "incident.attach", map[string]any{"attachment": a.PublicID, "name": a.Name,
			"type": a.MediaType, "size": a.Size, "sha256": a.SHA256})
		if vis == app.Internal {
			rec.Visibility, rec.SideID = app.Internal, a.SideID
		}
		return tx.Audit(actor, rec)
	})
	if err != nil {
		return nil, err
	}
	a.Content = nil
	return a, nil
}

// Attachments lists an incident's files (without their content), oldest first.
func (s *Service) Attachments(ctx context.Context, actor *app.User, incidentID int64) ([]Attachment, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	return s.st.attachments(ctx, actor, inc.ID)
}

// Download returns a file with its content to someone who may see its
// incident, and records the download in the same transaction (with an
// audit record in the uploading side's chain).
func (s *Service) Download(ctx context.Context, actor *app.User, incidentID int64, publicID string) (*Attachment, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	a, err := s.st.attachmentWithContent(ctx, actor, inc.ID, publicID)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.Gorm().Create(&Download{AttachmentID: a.ID, UserID: actor.ID, At: tx.Now()}).Error; err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "incident.download", ObjectType: string(KindIncident), ObjectID: inc.ID,
			Visibility: app.Internal, SideID: a.SideID, Changes: map[string]any{"attachment": a.PublicID, "name": a.Name}})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Downloads lists who downloaded a file and when, newest first, for the
// uploading side only.
func (s *Service) Downloads(ctx context.Context, actor *app.User, incidentID int64, publicID string, limit int) ([]Download, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	a, err := s.st.attachment(ctx, actor, inc.ID, publicID)
	if err != nil {
		return nil, err
	}
	if !canSeeDownloads(actor, a) {
		return nil, app.ErrNotFound
	}
	return s.st.downloads(ctx, a.ID, limit)
}
