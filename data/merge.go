package data

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// MergeTickets merges the source into the target in one transaction; see ticket.TicketMerger.
//
// Every message of the source is copied onto the end of the target's thread (text, HTML,
// attachments by hash, raw source, Message-ID, direction, author and time kept; the target's
// numbering continues), and the Message-ID index then points at the copies, so a later reply
// to any of the source's mail threads into the target. The source keeps its own thread and
// history for reading, is closed (a resolution in the statistics, like a duplicate closed by
// hand) and points at the target; its open referrals move to the target, its requester and
// participants become participants of the target. Both tickets are queued for the search index.
func (s *TicketService) MergeTickets(ctx context.Context, req ticket.MergeRequest) (*ticket.Ticket, error) {
	actor := ticket.ActorFromContext(ctx).Name
	var t *ticket.Ticket
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		t, err = tx.mergeTickets(req, actor)
		return err
	})
	return t, err
}

// FindMergeTarget returns the ticket the source may be merged into; see ticket.TicketMerger.
func (s *TicketService) FindMergeTarget(ctx context.Context, sourceID uint64, into ticket.Ref) (*ticket.Ticket, error) {
	var dst *ticket.Ticket
	err := s.db.view(ctx, func(tx *Tx) error {
		src, err := tx.findTicket(sourceID)
		if err != nil {
			return err
		}
		dst, err = tx.mergeTarget(src, into)
		return err
	})
	return dst, err
}

func (tx *Tx) mergeTickets(req ticket.MergeRequest, actor string) (*ticket.Ticket, error) {
	src, err := tx.findTicket(req.SourceID)
	if err != nil {
		return nil, err
	}
	if src.ChangedSince(req.IfVersion) {
		return nil, ticket.Errorf(ticket.ECONFLICT, "Saken er endret av noen andre siden du åpnet den. Se gjennom endringene før du slår den sammen.")
	}
	dst, err := tx.mergeTarget(src, req.Into)
	if err != nil {
		return nil, err
	}
	oldSrc, oldDst := *src, *dst
	moved, err := tx.copyThread(src, dst)
	if err != nil {
		return nil, err
	}
	addParticipants(dst, append([]string{src.Requester.Email}, src.Participants...))
	// Open referrals move, so the agency's answer lands where the work goes on; answered ones
	// stay with the ticket they answered.
	var keep, move []ticket.Referral
	for _, r := range src.Referrals {
		if r.Status == ticket.ReferralSent {
			move = append(move, r)
		} else {
			keep = append(keep, r)
		}
	}
	src.Referrals, dst.Referrals = keep, append(slices.Clone(dst.Referrals), move...)
	ch, dstCh := changes{tx: tx, id: src.ID, actor: actor}, changes{tx: tx, id: dst.ID, actor: actor}
	// an overdue referral keeps its tag where it goes (the reminder fires once)
	if slices.ContainsFunc(move, func(r ticket.Referral) bool { return !r.RemindedAt.IsZero() }) && !dst.HasTag(ticket.TagReferralOverdue) {
		dst.Tags = append(slices.Clone(dst.Tags), ticket.TagReferralOverdue)
		dstCh.add(ticket.EventTags, strings.Join(oldDst.Tags, ","), strings.Join(dst.Tags, ","), "henvisning fra "+src.Ref.String())
	}
	clearOverdueTag(src, &ch)
	dst.MergedFrom = append(slices.Clone(dst.MergedFrom), src.ID)
	dst.UpdatedAt = tx.now
	if err := tx.putTicket(&oldDst, dst); err != nil {
		return nil, err
	}
	if err := dstCh.write(); err != nil {
		return nil, err
	}

	src.MergedInto, src.UpdatedAt = dst.ID, tx.now
	if src.Status != ticket.StatusClosed {
		from := src.Status
		tx.setStatus(src, ticket.StatusClosed)
		ch.add(ticket.EventStatus, string(from), string(ticket.StatusClosed), "")
	}
	ch.add(ticket.EventMergedInto, "", dst.Ref.String(), mergeDetail(moved, move))
	if err := tx.putTicket(&oldSrc, src); err != nil {
		return nil, err
	}
	if err := ch.write(); err != nil {
		return nil, err
	}
	if err := tx.addEvent(dst.ID, ticket.EventMergedFrom, actor, src.Ref.String(), "", mergeDetail(moved, move)); err != nil {
		return nil, err
	}
	return dst, nil
}

// mergeDetail says what a merge carried over, for both tickets' history: "3" messages copied,
// and after a "|" the agencies whose open referrals moved ("3|nav,skatt").
func mergeDetail(messages int, referrals []ticket.Referral) string {
	s := strconv.Itoa(messages)
	if len(referrals) > 0 {
		var agencies []string
		for _, r := range referrals {
			agencies = append(agencies, r.Agency)
		}
		s += "|" + strings.Join(agencies, ",")
	}
	return s
}

// mergeTarget finds the ticket src may be merged into, or says why there is none.
func (tx *Tx) mergeTarget(src *ticket.Ticket, into ticket.Ref) (*ticket.Ticket, error) {
	if into == src.Ref {
		return nil, ticket.CheckMerge(src, src)
	}
	v := tx.Bucket(idxRef).Get([]byte(into.String()))
	if v == nil {
		if err := ticket.CheckMerge(src, &ticket.Ticket{Ref: into}); err != nil {
			return nil, err
		}
		if tx.refIssued(into) {
			return nil, ticket.FieldError(ticket.MergeField, "Saken %s er slettet, så ingenting kan slås sammen inn i den.", into)
		}
		return nil, ticket.FieldError(ticket.MergeField, "Fant ingen sak med referansen %s.", into)
	}
	dst, err := tx.findTicket(btou64(v))
	if err != nil {
		return nil, err
	}
	if err := ticket.CheckMerge(src, dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// refIssued reports whether a reference was ever given out: references are numbered from 1
// each year and never reused, so one at or below the counter that has no ticket was deleted.
func (tx *Tx) refIssued(ref ticket.Ref) bool {
	n := btou64(tx.Bucket(bucketMeta).Get([]byte(fmt.Sprintf("ref/%d", ref.Year))))
	return ref.Number >= 1 && uint64(ref.Number) <= n
}

// copyThread copies every message of src onto the end of dst's thread, with its raw source,
// and points the Message-ID index at the copies. It returns how many messages it copied.
func (tx *Tx) copyThread(src, dst *ticket.Ticket) (int, error) {
	msgs := tx.Bucket(bucketMessages)
	records, err := tx.messageRecords(src.ID)
	if err != nil {
		return 0, err
	}
	for _, r := range records {
		from := msgKey(src.ID, r.Seq)
		dst.MessageCount++
		r.TicketID, r.Seq = dst.ID, dst.MessageCount
		to := msgKey(dst.ID, r.Seq)
		if r.HasRaw {
			if err := tx.copyRaw(from, to); err != nil {
				return 0, fmt.Errorf("merge %s into %s: %w", src.Ref, dst.Ref, err)
			}
		}
		if r.MessageID != "" {
			if err := tx.Bucket(idxMessageID).Put([]byte(r.MessageID), to); err != nil {
				return 0, fmt.Errorf("index copied message id: %w", err)
			}
		}
		buf, err := encode(&r)
		if err != nil {
			return 0, err
		}
		if err := msgs.Put(to, buf); err != nil {
			return 0, fmt.Errorf("copy message into %d/%d: %w", dst.ID, r.Seq, err)
		}
	}
	return len(records), nil
}

// followMerges returns the ticket mail to t belongs in: t, or the ticket it was merged into
// (and so on, when that one was merged too). A target deleted since leaves the mail with t.
func (tx *Tx) followMerges(t *ticket.Ticket) (*ticket.Ticket, error) {
	for range 16 { // a chain is short; the bound only guards against a damaged record
		if !t.Merged() {
			return t, nil
		}
		next, err := tx.findTicket(t.MergedInto)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return t, nil
		} else if err != nil {
			return nil, err
		}
		t = next
	}
	return t, nil
}

// mergedFamily lists t and every ticket merged into it, directly or through another merge, so
// that a bounce arriving on t finds the mail any of them sent.
func (tx *Tx) mergedFamily(t *ticket.Ticket) ([]uint64, error) {
	ids, next := []uint64{t.ID}, slices.Clone(t.MergedFrom)
	for len(next) > 0 && len(ids) < 64 { // the bound only guards against a damaged record
		id := next[0]
		next = next[1:]
		src, err := tx.findTicket(id)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		ids, next = append(ids, id), append(next, src.MergedFrom...)
	}
	return ids, nil
}
