package data

import (
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func init() {
	// The ticket record and its indexes are forgotten by forgetTicket itself, last, and the
	// search index is brought up to date from what is left (reindexNow).
	registerPersonalData(personalData{name: "saker", buckets: [][]byte{bucketTickets, idxRequester, idxPerson}})
	registerPersonalData(personalData{name: "søkeindeks", buckets: [][]byte{bucketSearchQueue, bucketSearchPost, bucketSearchDoc}})
}

// forgetting is what one pass of forgetting collects across its transactions.
type forgetting struct {
	// blobs are the attachment hashes dropped; their bytes go at the end (sweep) when no
	// message or mail still refers to them.
	blobs map[string]bool
	// tickets counts the tickets anonymised whole and those only scrubbed.
	whole, scrubbed int
	// reindex are the tickets of the current transaction whose search terms must be brought up
	// to date before it commits (reindexNow): one rewrite of each posting per batch.
	reindex []uint64
	// searches are the saved search texts of the current transaction (forget_staffwork.go).
	searches savedSearches
}

func newForgetting() *forgetting { return &forgetting{blobs: map[string]bool{}} }

// ticketForgetting is the forgetting of one ticket, as the registered kinds see it.
type ticketForgetting struct {
	t     *ticket.Ticket
	who   *people
	whole bool
	f     *forgetting
}

// forgetTicket removes personal data from ticket id in the caller's transaction. Whole, the
// ticket is anonymised: the people are everyone it holds (requester, participants, every
// address and display name of its mail) and who besides (nil for none), and everything personal
// goes. Else only what names who goes (a participant's or a mentioned person's erasure). The
// statistics fields, the times and the update time stay, so the ticket keeps its place in lists
// and every figure stays the same. The caller brings the search index up to date (reindexNow)
// before its transaction commits.
func (tx *Tx) forgetTicket(id uint64, who *people, whole bool, reason string, f *forgetting) error {
	t, err := tx.findTicket(id)
	if err != nil {
		return err
	}
	ft := &ticketForgetting{t: t, who: who, whole: whole, f: f}
	if whole {
		if ft.who, err = tx.ticketPeople(t); err != nil {
			return err
		}
		if who != nil {
			ft.who.merge(who)
		}
	}
	for _, k := range personalKinds {
		if k.forgetTicket == nil {
			continue
		}
		if err := k.forgetTicket(tx, ft); err != nil {
			return err
		}
	}
	old := *t
	forgetTicketRecord(t, ft, tx.now)
	if err := tx.putTicket(&old, t); err != nil {
		return err
	}
	if ft.whole {
		f.whole++
	} else {
		f.scrubbed++
	}
	if err := tx.addEvent(t.ID, ticket.EventAnonymised, "system", "", "", reason); err != nil {
		return err
	}
	f.reindex = append(f.reindex, t.ID)
	return tx.relearnWithout(t)
}

// relearnWithout makes the routing learner train again when t is one it learns from: it holds
// the words of labelled tickets in memory, and trains anew when the labels version moves.
func (tx *Tx) relearnWithout(t *ticket.Ticket) error {
	if _, _, ok := t.RoutingLabel(); !ok {
		return nil
	}
	meta := tx.Bucket(bucketMeta)
	return meta.Put(keyRoutingLabelsVersion, u64(btou64(meta.Get(keyRoutingLabelsVersion))+1))
}

// forgetTicketRecord changes the ticket record itself: the requester (whole) or the person
// among the participants, and names and addresses in the subject, the routing reason and the
// referral notes. Agency, municipality, county, channel, category, tags, status and times stay.
func forgetTicketRecord(t *ticket.Ticket, ft *ticketForgetting, now time.Time) {
	who := ft.who
	if ft.whole {
		t.Requester.Name, t.Requester.Email, t.Participants = "", "", nil
		t.AnonymisedAt = now
	} else {
		t.Participants = slices.DeleteFunc(slices.Clone(t.Participants), who.hasAddress)
		if len(t.Participants) == 0 {
			t.Participants = nil
		}
	}
	t.Subject = who.scrub(t.Subject)
	// the inbox's preview of the latest message: a requester's words go whole, like their
	// messages; ours lose the names
	if ft.whole && t.Latest.Direction == ticket.DirectionIn {
		t.Latest.Text = ticket.AnonymisedText
	} else {
		t.Latest.Text = who.scrub(t.Latest.Text)
	}
	if strings.TrimSpace(t.Subject) == "" {
		t.Subject = "(uten emne)"
	}
	t.Routing.Reason = who.scrub(t.Routing.Reason)
	t.Referrals = slices.Clone(t.Referrals)
	for i := range t.Referrals {
		t.Referrals[i].Note = who.scrub(t.Referrals[i].Note)
	}
}

// ticketPeople collects everyone a ticket holds: the requester, the participants, and the
// senders and recipients of its mail with their display names. Our own sending address (the
// sender of our answers) is not among them: it is no person's, and our texts name it.
func (tx *Tx) ticketPeople(t *ticket.Ticket) (*people, error) {
	who := newPeople()
	who.addAddress(t.Requester.Email)
	who.addName(t.Requester.Name)
	who.addAddress(t.Participants...)
	list, err := tx.messageRecords(t.ID)
	if err != nil {
		return nil, err
	}
	ours := map[string]bool{}
	for _, r := range list {
		if r.Direction == string(ticket.DirectionIn) {
			who.addAddress(r.From)
			who.addName(r.FromName)
		} else if r.From != "" {
			ours[strings.ToLower(r.From)] = true
		}
		who.addAddress(r.To...)
		who.addAddress(r.Cc...)
	}
	for a := range ours {
		if !strings.EqualFold(a, t.Requester.Email) {
			delete(who.addrs, a)
		}
	}
	return who, nil
}

// reindexNow brings the search index of the tickets f forgot in this transaction up to date,
// so a search never finds a forgotten name through terms the indexer has not yet removed.
func (tx *Tx) reindexNow(f *forgetting) error {
	pc := postingChanges{}
	for _, id := range f.reindex {
		if err := tx.reindex(id, pc); err != nil {
			return err
		}
	}
	if err := tx.applyPostings(pc); err != nil {
		return err
	}
	for _, id := range f.reindex {
		if err := tx.Bucket(bucketSearchQueue).Delete(u64(id)); err != nil {
			return err
		}
	}
	f.reindex = f.reindex[:0]
	return nil
}
