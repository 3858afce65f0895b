package data

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Reply drafts, one per staff member and ticket, keyed ticket id|author. Their files are
// stored as blobs like any attachment, so sending the draft only refers to them; the anonymiser
// and the deletion of a ticket look at drafts before they delete bytes.
var bucketDrafts = []byte("drafts") // ticket id | author email -> draft record

func init() { registerBuckets(bucketDrafts) }

var _ ticket.DraftService = (*DraftService)(nil)

// DraftService stores reply drafts.
type DraftService struct{ db *DB }

// NewDraftService returns the draft store of db.
func NewDraftService(db *DB) *DraftService { return &DraftService{db: db} }

type draftRecord struct {
	TicketID    uint64             `json:"tid"`
	Author      string             `json:"by"`
	Text        string             `json:"text,omitempty"`
	Cc          string             `json:"cc,omitempty"`
	Status      string             `json:"st,omitempty"`
	AssignMe    bool               `json:"me,omitempty"`
	Attachments []attachmentRecord `json:"att,omitempty"`
	UpdatedAt   time.Time          `json:"at"`
}

func (r *draftRecord) draft() *ticket.ReplyDraft {
	d := &ticket.ReplyDraft{TicketID: r.TicketID, Author: r.Author, Text: r.Text, Cc: r.Cc, Status: ticket.Status(r.Status),
		AssignMe: r.AssignMe, UpdatedAt: r.UpdatedAt}
	for _, a := range r.Attachments {
		d.Attachments = append(d.Attachments, ticket.Attachment{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	return d
}

func draftKey(ticketID uint64, author string) []byte {
	return key(u64(ticketID), []byte(strings.ToLower(author)))
}

// FindDrafts returns the drafts of a ticket, newest first.
func (s *DraftService) FindDrafts(ctx context.Context, ticketID uint64) ([]*ticket.ReplyDraft, error) {
	var list []*ticket.ReplyDraft
	err := s.db.view(ctx, func(tx *Tx) error {
		prefix := u64(ticketID)
		c := tx.Bucket(bucketDrafts).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r draftRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("draft %x: %w", k, err)
			}
			list = append(list, r.draft())
		}
		return nil
	})
	slices.SortStableFunc(list, func(a, b *ticket.ReplyDraft) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return list, err
}

// FindDraft returns the draft of author on a ticket.
func (s *DraftService) FindDraft(ctx context.Context, ticketID uint64, author string) (*ticket.ReplyDraft, error) {
	var d *ticket.ReplyDraft
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketDrafts).Get(draftKey(ticketID, author))
		if v == nil {
			return notFound("utkastet")
		}
		var r draftRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("draft of %d: %w", ticketID, err)
		}
		d = r.draft()
		return nil
	})
	return d, err
}

// SaveDraft stores d in place of the author's earlier draft; an empty one is deleted. The
// ticket must exist: a draft of a deleted ticket would keep its text alive.
func (s *DraftService) SaveDraft(ctx context.Context, d *ticket.ReplyDraft) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findTicket(d.TicketID); err != nil {
			return err
		}
		if d.Empty() {
			return tx.deleteDraft(d.TicketID, d.Author)
		}
		d.UpdatedAt = tx.now
		r := draftRecord{TicketID: d.TicketID, Author: strings.ToLower(d.Author), Text: d.Text, Cc: d.Cc, Status: string(d.Status),
			AssignMe: d.AssignMe, UpdatedAt: d.UpdatedAt}
		for i := range d.Attachments {
			a := &d.Attachments[i]
			if err := tx.putBlob(a); err != nil {
				return err
			}
			r.Attachments = append(r.Attachments, attachmentRecord{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
		}
		buf, err := encode(&r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketDrafts).Put(draftKey(d.TicketID, d.Author), buf); err != nil {
			return fmt.Errorf("put draft of %d: %w", d.TicketID, err)
		}
		return nil
	})
}

// DeleteDraft removes the draft of author on a ticket.
func (s *DraftService) DeleteDraft(ctx context.Context, ticketID uint64, author string) error {
	return s.db.update(ctx, func(tx *Tx) error { return tx.deleteDraft(ticketID, author) })
}

// deleteDraft removes a draft; its files stay (the reply that sent them refers to them, and
// the anonymiser collects bytes nothing refers to).
func (tx *Tx) deleteDraft(ticketID uint64, author string) error {
	if err := tx.Bucket(bucketDrafts).Delete(draftKey(ticketID, author)); err != nil {
		return fmt.Errorf("delete draft of %d: %w", ticketID, err)
	}
	return nil
}

// deleteDraftsOf removes every draft of a ticket (deleted or anonymised) and returns the hashes
// of their files.
func (tx *Tx) deleteDraftsOf(ticketID uint64) (map[string]bool, error) {
	hashes := map[string]bool{}
	prefix := u64(ticketID)
	c := tx.Bucket(bucketDrafts).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r draftRecord
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("draft %x: %w", k, err)
		}
		for _, a := range r.Attachments {
			hashes[a.SHA256] = true
		}
	}
	return hashes, deletePrefix(tx, bucketDrafts, prefix)
}

// dropDraftHashes removes from blobs the files drafts still hold.
func (tx *Tx) dropDraftHashes(blobs map[string]bool) error {
	return tx.Bucket(bucketDrafts).ForEach(func(k, v []byte) error {
		var r draftRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("draft %x: %w", k, err)
		}
		for _, a := range r.Attachments {
			delete(blobs, a.SHA256)
		}
		return nil
	})
}
