// Package personexport writes what is stored about one person as a zip: person.json with every
// field, sammendrag.html to read in a browser, and the files and mail sources themselves. The
// admin page, the API (GET /api/v1/persons/{email}) and «digihjelpen person export» all write
// through it. It is a leaf: it imports only ticket, so cmd can use it without the web.
package personexport

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/ks-no/digihjelpen/ticket"
)

// Files reads the bytes of attachments and mail sources (ticket.MessageService has both).
type Files interface {
	FindAttachment(ctx context.Context, ticketID uint64, seq, n int) (*ticket.Attachment, error)
	FindRawMessage(ctx context.Context, ticketID uint64, seq int) ([]byte, error)
}

// FileName is the name a download of email's data gets.
func FileName(email string, at time.Time) string {
	return "innsyn-" + safeName(email) + "-" + at.In(ticket.Oslo).Format("2006-01-02") + ".zip"
}

// file is one file of the zip to copy from storage.
type file struct {
	path          string
	ticketID      uint64
	seq, n        int
	raw           bool
	quarantineRaw []byte
}

// Write writes the zip of d to w; files gives the bytes of attachments and sources.
func Write(ctx context.Context, w io.Writer, d *ticket.PersonData, files Files) error {
	doc, list := build(d)
	z := zip.NewWriter(w)
	if err := writeJSON(z, doc); err != nil {
		return err
	}
	if err := writeSummary(z, doc); err != nil {
		return err
	}
	for _, f := range list {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := copyFile(ctx, z, f, files); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("write zip: %w", err)
	}
	return nil
}

func create(z *zip.Writer, name string) (io.Writer, error) {
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return nil, fmt.Errorf("zip %s: %w", name, err)
	}
	return w, nil
}

func writeJSON(z *zip.Writer, doc *personJSON) error {
	w, err := create(z, "person.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func copyFile(ctx context.Context, z *zip.Writer, f file, files Files) error {
	var data []byte
	switch {
	case f.quarantineRaw != nil:
		data = f.quarantineRaw
	case f.raw:
		raw, err := files.FindRawMessage(ctx, f.ticketID, f.seq)
		if err != nil {
			return fmt.Errorf("source of %d/%d: %w", f.ticketID, f.seq, err)
		}
		data = raw
	default:
		a, err := files.FindAttachment(ctx, f.ticketID, f.seq, f.n)
		if err != nil {
			return fmt.Errorf("attachment %d of %d/%d: %w", f.n, f.ticketID, f.seq, err)
		}
		data = a.Data
	}
	w, err := create(z, f.path)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// build turns d into the JSON document and the list of files it names.
func build(d *ticket.PersonData) (*personJSON, []file) {
	doc := &personJSON{Email: d.Email, Names: orEmpty(d.Names), CollectedAt: d.CollectedAt.UTC(), Tickets: []ticketJSON{},
		Events: eventsJSON(d.Events), Mail: mailsJSON(d.Mail), Quarantine: []quarantineJSON{}}
	var files []file
	for _, p := range d.Tickets {
		tj, fs := ticketDoc(p)
		doc.Tickets = append(doc.Tickets, tj)
		files = append(files, fs...)
	}
	for _, q := range d.Quarantine {
		qj := quarantineJSON{ID: q.ID, Reason: q.Reason.Label(), From: q.From, Subject: q.Subject, ReceivedAt: q.ReceivedAt.UTC()}
		if raw, ok := d.QuarantineSources[q.ID]; ok {
			qj.Source = fmt.Sprintf("karantene/%d.eml", q.ID)
			files = append(files, file{path: qj.Source, quarantineRaw: raw})
		}
		doc.Quarantine = append(doc.Quarantine, qj)
	}
	doc.RegisterEntries = []registerJSON{}
	for _, o := range d.RegisterEntries {
		doc.RegisterEntries = append(doc.RegisterEntries, registerJSON{Municipality: o.Number, Contact: o.Contact, Note: o.Note,
			Version: o.Version, UpdatedAt: o.UpdatedAt.UTC()})
	}
	if u := d.Account; u != nil {
		doc.Account = &accountJSON{Email: u.Email, Name: u.Name, Role: u.Role.Label(), CreatedAt: u.CreatedAt.UTC(),
			LastLoginAt: optTime(u.LastLoginAt), SSO: u.IsSSO(), Disabled: u.Disabled}
	}
	return doc, files
}

func ticketDoc(p ticket.PersonTicket) (ticketJSON, []file) {
	t := p.Ticket
	ref := t.Ref.String()
	tj := ticketJSON{Ref: ref, Role: string(p.Role), Subject: t.Subject, Status: t.Status.Label(), Agency: t.Agency,
		Channel: t.Channel.Label(), Category: t.Category, Tags: orEmpty(t.Tags), CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(),
		ResolvedAt: optTime(t.ResolvedAt), Participants: orEmpty(t.Participants), Referrals: []referralJSON{}, Messages: []messageJSON{},
		Events: eventsJSON(p.Events), Mail: mailsJSON(p.Mail),
		Requester: requesterJSON{Name: t.Requester.Name, Email: t.Requester.Email,
			Municipality: strings.TrimSpace(t.Requester.Municipality.Number + " " + t.Requester.Municipality.Name),
			County:       strings.TrimSpace(t.Requester.County.Number + " " + t.Requester.County.Name)}}
	for _, r := range t.Referrals {
		tj.Referrals = append(tj.Referrals, referralJSON{Agency: r.Agency, Note: r.Note, SentAt: r.SentAt.UTC()})
	}
	var files []file
	for _, m := range p.Messages {
		mj := messageJSON{Seq: m.Seq, Direction: string(m.Direction), From: m.From, FromName: m.FromName, To: orEmpty(m.To), Cc: orEmpty(m.Cc),
			Subject: m.Subject, Text: m.Text, CreatedAt: m.CreatedAt.UTC(), MessageID: m.MessageID, Attachments: []attachmentJSON{}}
		for n, a := range m.Attachments {
			f := file{path: path.Join("filer", ref, fmt.Sprintf("%d-%d-%s", m.Seq, n+1, safeName(a.Name))), ticketID: t.ID, seq: m.Seq, n: n}
			mj.Attachments = append(mj.Attachments, attachmentJSON{Name: a.Name, Type: a.Type, Size: a.Size, File: f.path})
			files = append(files, f)
		}
		if m.HasRaw {
			mj.Source = path.Join("kilder", ref, fmt.Sprintf("%d.eml", m.Seq))
			files = append(files, file{path: mj.Source, ticketID: t.ID, seq: m.Seq, raw: true})
		}
		tj.Messages = append(tj.Messages, mj)
	}
	return tj, files
}

// safeName keeps a file name to letters, digits, dots, dashes and underscores, so no name from
// a mail can leave its folder in the zip or confuse the program that unpacks it.
func safeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' || r == '@' {
			return r
		}
		return '_'
	}, name)
	name = strings.TrimLeft(name, ".")
	if name == "" {
		return "fil"
	}
	return name
}
