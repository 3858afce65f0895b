package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The requesters' answers to «Fikk du svar du kunne bruke?»: one per ticket, and an index by
// the time of the answer for the reports. The answer, its index key and its event on the ticket
// are written in one transaction; a new answer takes the old one's index key out.
var (
	bucketFeedback = []byte("feedback")     // ticket id -> feedbackRecord
	idxFeedbackAt  = []byte("idx_feedback") // time|ticket id
)

func init() { registerBuckets(bucketFeedback, idxFeedbackAt) }

// FeedbackService implements ticket.FeedbackService.
type FeedbackService struct {
	db *DB
}

var _ ticket.FeedbackService = (*FeedbackService)(nil)

// NewFeedbackService returns the requesters' answers stored in db.
func NewFeedbackService(db *DB) *FeedbackService { return &FeedbackService{db: db} }

type feedbackRecord struct {
	TicketID uint64    `json:"tid"`
	Useful   bool      `json:"ok"`
	Comment  string    `json:"c,omitempty"`
	Agency   string    `json:"ag"`
	At       time.Time `json:"at"`
}

func (r *feedbackRecord) feedback() *ticket.Feedback {
	return &ticket.Feedback{TicketID: r.TicketID, Useful: r.Useful, Comment: r.Comment, Agency: r.Agency, At: r.At}
}

func (tx *Tx) findFeedback(ticketID uint64) (*ticket.Feedback, error) {
	v := tx.Bucket(bucketFeedback).Get(u64(ticketID))
	if v == nil {
		return nil, nil
	}
	var r feedbackRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("feedback of ticket %d: %w", ticketID, err)
	}
	return r.feedback(), nil
}

// SaveFeedback stores the requester's answer about a resolved or closed ticket, replacing an
// earlier one, with its event on the ticket. The requester is the actor.
func (s *FeedbackService) SaveFeedback(ctx context.Context, f *ticket.Feedback) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		t, err := tx.findTicket(f.TicketID)
		if err != nil {
			return err
		}
		if !ticket.CanGiveFeedback(t) {
			return ticket.Errorf(ticket.EINVALID, "Du kan svare på dette når saken er løst.")
		}
		old, err := tx.findFeedback(t.ID)
		if err != nil {
			return err
		}
		if old != nil {
			if err := tx.Bucket(idxFeedbackAt).Delete(key(timeKey(old.At), u64(t.ID))); err != nil {
				return err
			}
		}
		f.Agency, f.At = t.Agency, tx.now
		buf, err := encode(feedbackRecord{TicketID: t.ID, Useful: f.Useful, Comment: f.Comment, Agency: f.Agency, At: f.At})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketFeedback).Put(u64(t.ID), buf); err != nil {
			return fmt.Errorf("put feedback of ticket %d: %w", t.ID, err)
		}
		if err := tx.Bucket(idxFeedbackAt).Put(key(timeKey(f.At), u64(t.ID)), nil); err != nil {
			return err
		}
		answer := "nei"
		if f.Useful {
			answer = "ja"
		}
		return tx.addEvent(t.ID, ticket.EventFeedback, t.Requester.Email, "", answer, f.Comment)
	})
}

// FindFeedback returns the answer of a ticket, or ENOTFOUND.
func (s *FeedbackService) FindFeedback(ctx context.Context, ticketID uint64) (*ticket.Feedback, error) {
	var f *ticket.Feedback
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		f, err = tx.findFeedback(ticketID)
		return err
	})
	if err == nil && f == nil {
		return nil, notFound("noe svar på «" + ticket.FeedbackQuestion + "»")
	}
	return f, err
}

// FeedbackCounts counts the answers given in [from, to) by the ticket's agency.
func (s *FeedbackService) FeedbackCounts(ctx context.Context, from, to time.Time) (map[string]ticket.FeedbackCount, error) {
	out := map[string]ticket.FeedbackCount{}
	err := s.db.view(ctx, func(tx *Tx) error {
		c := tx.Bucket(idxFeedbackAt).Cursor()
		hi := timeKey(to)
		for k, _ := c.Seek(timeKey(from)); k != nil && bytes.Compare(k[:8], hi) < 0; k, _ = c.Next() {
			f, err := tx.findFeedback(btou64(k[8:]))
			if err != nil || f == nil {
				return err
			}
			n := out[f.Agency]
			if f.Useful {
				n.Useful++
			} else {
				n.NotUseful++
			}
			out[f.Agency] = n
		}
		return nil
	})
	return out, err
}

// deleteFeedback takes a deleted ticket's answer and its index key out.
func (tx *Tx) deleteFeedback(id uint64) error {
	f, err := tx.findFeedback(id)
	if err != nil || f == nil {
		return err
	}
	if err := tx.Bucket(idxFeedbackAt).Delete(key(timeKey(f.At), u64(id))); err != nil {
		return err
	}
	return tx.Bucket(bucketFeedback).Delete(u64(id))
}

// anonymiseFeedback clears the requester's comment, in the answer and in its events, as
// anonymisation clears what requesters wrote; yes or no stays for the reports.
func (tx *Tx) anonymiseFeedback(id uint64) error {
	f, err := tx.findFeedback(id)
	if err != nil || f == nil || f.Comment == "" {
		return err
	}
	buf, err := encode(feedbackRecord{TicketID: id, Useful: f.Useful, Agency: f.Agency, At: f.At})
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketFeedback).Put(u64(id), buf); err != nil {
		return err
	}
	_, err = tx.rewriteEvents(u64(id), func(r *eventRecord) bool {
		if r.Kind != string(ticket.EventFeedback) || r.Detail == "" {
			return false
		}
		r.Detail = ""
		return true
	})
	return err
}
