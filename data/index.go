package data

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// ticketIndexKeys returns every index entry a ticket has, by bucket. Writing a ticket removes
// the entries of its old version and adds those of the new one, in the same transaction, so
// indexes can never disagree with the records.
func ticketIndexKeys(t *ticket.Ticket) map[string][][]byte {
	id := u64(t.ID)
	updated := timeKey(t.UpdatedAt)
	keys := map[string][][]byte{
		string(idxStatusAgencyUpdated): {key(str0(string(t.Status)), str0(t.Agency), updated, id)},
		string(idxStatusUpdated):       {key(str0(string(t.Status)), updated, id)},
		string(idxUpdated):             {key(updated, id)},
		string(idxCreated):             {key(timeKey(t.CreatedAt), id)},
		string(idxRef):                 {[]byte(t.Ref.String())},
		string(idxToken):               {[]byte(t.StatusToken)},
	}
	if e := strings.ToLower(t.Requester.Email); e != "" {
		keys[string(idxRequester)] = [][]byte{key(str0(e), id)}
	}
	if persons := personIndexKeys(t); len(persons) > 0 {
		keys[string(idxPerson)] = persons
	}
	if refs := referralIndexKeys(t); len(refs) > 0 {
		keys[string(idxReferralOpen)] = refs
	}
	if labels := routingLabelKeys(t); len(labels) > 0 {
		keys[string(idxRoutingLabel)] = labels
	}
	addFacetKeys(keys, t)
	return keys
}

// ticketIndexes lists the index buckets ticketIndexKeys fills.
var ticketIndexes = [][]byte{idxStatusAgencyUpdated, idxStatusUpdated, idxUpdated, idxCreated, idxRef, idxToken, idxRequester, idxReferralOpen, idxRoutingLabel, idxPerson}

// personIndexKeys are the idx_person entries of t: one per address it holds (the requester and
// the participants), so a person's export and erasure find every ticket they took part in
// without reading all tickets.
func personIndexKeys(t *ticket.Ticket) [][]byte {
	seen := map[string]bool{}
	var keys [][]byte
	for _, a := range append([]string{t.Requester.Email}, t.Participants...) {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		keys = append(keys, key(str0(a), u64(t.ID)))
	}
	return keys
}

// valued indexes map their key to the ticket id; the others hold empty values.
var valuedIndexes = map[string]bool{string(idxRef): true, string(idxToken): true}

// putTicket writes t and brings its indexes and counters from old (nil for a new ticket) to t.
func (tx *Tx) putTicket(old, t *ticket.Ticket) error {
	tx.ticketChanged()
	if err := tx.noteRoutingLabel(old, t); err != nil {
		return err
	}
	if old != nil {
		t.Version = old.Version + 1
		if err := tx.deleteTicketIndexes(old); err != nil {
			return err
		}
	}
	for name, keys := range ticketIndexKeys(t) {
		b := tx.Bucket([]byte(name))
		for _, k := range keys {
			var v []byte
			if valuedIndexes[name] {
				v = u64(t.ID)
			}
			if err := b.Put(k, v); err != nil {
				return fmt.Errorf("put %s index of ticket %d: %w", name, t.ID, err)
			}
		}
	}
	if err := tx.addCount(t.Status, t.Agency, 1); err != nil {
		return err
	}
	if err := tx.addFacetCounts(t, 1); err != nil {
		return err
	}
	if err := tx.queueSearch(t.ID); err != nil {
		return err
	}
	if err := tx.putTicketRecord(t); err != nil {
		return err
	}
	return tx.statsTicketChanged(t)
}

// putTicketRecord writes t's record alone, dropping what the cache of decoded tickets held.
func (tx *Tx) putTicketRecord(t *ticket.Ticket) error {
	buf, err := encode(toTicketRecord(t))
	if err != nil {
		return err
	}
	tx.db.tickets.forget(t.ID)
	if err := tx.Bucket(bucketTickets).Put(u64(t.ID), buf); err != nil {
		return fmt.Errorf("put ticket %d: %w", t.ID, err)
	}
	return nil
}

func (tx *Tx) deleteTicketIndexes(t *ticket.Ticket) error {
	for name, keys := range ticketIndexKeys(t) {
		b := tx.Bucket([]byte(name))
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("delete %s index of ticket %d: %w", name, t.ID, err)
			}
		}
	}
	if err := tx.addFacetCounts(t, -1); err != nil {
		return err
	}
	if err := tx.queueSearch(t.ID); err != nil { // a deleted ticket leaves the index too
		return err
	}
	return tx.addCount(t.Status, t.Agency, -1)
}

func countKey(s ticket.Status, agency string) []byte {
	return key(str0(string(s)), []byte(agency))
}

// addCount keeps the number of tickets per status and agency, so inbox counts cost one read.
func (tx *Tx) addCount(s ticket.Status, agency string, delta int64) error {
	b := tx.Bucket(bucketCounts)
	k := countKey(s, agency)
	n := int64(btou64(b.Get(k))) + delta
	if n < 0 {
		return fmt.Errorf("count of %s/%s would be negative", s, agency)
	}
	if n == 0 {
		return b.Delete(k)
	}
	return b.Put(k, u64(uint64(n)))
}

// count returns the number of tickets in status (all when "") and agency (all when "").
func (tx *Tx) count(s ticket.Status, agency string) int {
	c := tx.Bucket(bucketCounts).Cursor()
	prefix := []byte{}
	if s != "" {
		prefix = str0(string(s))
	}
	n := 0
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if agency != "" {
			i := bytes.IndexByte(k, 0)
			if i < 0 || string(k[i+1:]) != agency {
				continue
			}
		}
		n += int(btou64(v))
	}
	return n
}
