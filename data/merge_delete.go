package data

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/ks-no/digihjelpen/ticket"
)

// unlinkMerges keeps merges consistent when t is deleted for good (after its own records are
// gone). A deleted source leaves its target's list. A deleted target gives each ticket merged
// into it its mail back: the Message-ID index points at the source's own copies again, so a
// reply threads there (a closed ticket: a new, linked one), and the source no longer points at
// a ticket that is gone. It stays closed.
func (tx *Tx) unlinkMerges(t *ticket.Ticket, actor string) error {
	if t.Merged() {
		dst, err := tx.findTicket(t.MergedInto)
		switch {
		case ticket.ErrorCode(err) == ticket.ENOTFOUND:
		case err != nil:
			return err
		default:
			old := *dst
			dst.MergedFrom = slices.DeleteFunc(slices.Clone(dst.MergedFrom), func(id uint64) bool { return id == t.ID })
			if err := tx.putTicket(&old, dst); err != nil {
				return err
			}
		}
	}
	for _, id := range t.MergedFrom {
		src, err := tx.findTicket(id)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if err := tx.reindexThread(src); err != nil {
			return err
		}
		old := *src
		src.MergedInto = 0
		if err := tx.putTicket(&old, src); err != nil {
			return err
		}
		if err := tx.addEvent(src.ID, ticket.EventMergedInto, actor, t.Ref.String(), "", "saken den ble slått sammen inn i, er slettet"); err != nil {
			return err
		}
	}
	return nil
}

// reindexThread points the Message-ID index at t's messages wherever no entry is left.
func (tx *Tx) reindexThread(t *ticket.Ticket) error {
	idx := tx.Bucket(idxMessageID)
	prefix := u64(t.ID)
	c := tx.Bucket(bucketMessages).Cursor()
	type entry struct{ mid, k []byte }
	var missing []entry
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("message %x: %w", k, err)
		}
		if r.MessageID != "" && idx.Get([]byte(r.MessageID)) == nil {
			missing = append(missing, entry{[]byte(r.MessageID), copyBytes(k)})
		}
	}
	for _, e := range missing {
		if err := idx.Put(e.mid, e.k); err != nil {
			return fmt.Errorf("index message id of %s: %w", t.Ref, err)
		}
	}
	return nil
}
