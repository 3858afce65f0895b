package data

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"github.com/ks-no/digihjelpen/ticket"
)

// PersonService implements ticket.PersonService: what is stored about one address, for
// access (FindPerson) and erasure (ErasePerson).
type PersonService struct{ db *DB }

var _ ticket.PersonService = (*PersonService)(nil)

// NewPersonService returns the person service of db.
func NewPersonService(db *DB) *PersonService { return &PersonService{db: db} }

// personTicket is a ticket that concerns a person, and how.
type personTicket struct {
	id   uint64
	role ticket.PersonRole
}

// findPerson works out who a person is and which tickets concern them: their own (by
// idx_requester), those they took part in (idx_person), and those that name them, found by a
// search for the address and for each whole name (checked against the ticket, since a search
// matches words, not places). The names come from their own tickets and mail.
func (tx *Tx) findPerson(addr string) (*people, []personTicket, error) {
	who := newPeople()
	who.addAddress(addr)
	roles := map[uint64]ticket.PersonRole{}
	for _, ix := range []struct {
		bucket []byte
		role   ticket.PersonRole
	}{{idxPerson, ticket.PersonParticipant}, {idxRequester, ticket.PersonRequester}} {
		prefix := str0(addr)
		c := tx.Bucket(ix.bucket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			roles[btou64(k[len(prefix):])] = ix.role
		}
	}
	for id, role := range roles {
		if err := tx.addPersonNames(id, role, who); err != nil {
			return nil, nil, err
		}
	}
	if err := tx.addMentions(who, roles); err != nil {
		return nil, nil, err
	}
	list := make([]personTicket, 0, len(roles))
	for id, role := range roles {
		list = append(list, personTicket{id, role})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
	return who, list, nil
}

// addPersonNames adds the names the person gave on ticket id: the requester's name, and the
// display name of the mail they sent.
func (tx *Tx) addPersonNames(id uint64, role ticket.PersonRole, who *people) error {
	t, err := tx.findTicket(id)
	if err != nil {
		return err
	}
	if role == ticket.PersonRequester {
		who.addName(t.Requester.Name)
	}
	list, err := tx.messageRecords(id)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Direction == string(ticket.DirectionIn) && who.hasAddress(r.From) {
			who.addName(r.FromName)
		}
	}
	return nil
}

// addMentions adds the tickets a search for the address or a whole name finds, when the
// ticket really names them.
func (tx *Tx) addMentions(who *people, roles map[uint64]ticket.PersonRole) error {
	ids, err := tx.searchPerson(who)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if roles[id] != "" {
			continue
		}
		named, err := tx.ticketNames(id, who.strict())
		if err != nil {
			return err
		}
		if named {
			roles[id] = ticket.PersonMentioned
		}
	}
	return nil
}

// searchPerson returns the tickets the search index finds for the addresses and whole names of
// who (each searched on its own).
func (tx *Tx) searchPerson(who *people) ([]uint64, error) {
	var queries []string
	for a := range who.addrs {
		queries = append(queries, a)
	}
	for _, n := range who.names() {
		queries = append(queries, `"`+n+`"`)
	}
	seen := map[uint64]bool{}
	var out []uint64
	for _, q := range queries {
		sq, err := parseQuery(q)
		if err != nil {
			continue // a name of stop words only: nothing to search for
		}
		groups := searchGroups(sq.terms, ticket.TicketFilter{})
		for b := int64(tx.lastBlock()); b >= 0; b-- {
			bm, err := tx.evalBlock(groups, uint32(b))
			if err != nil {
				return nil, err
			}
			if bm == nil {
				continue
			}
			for it := bm.Iterator(); it.HasNext(); {
				if id := uint64(it.Next()); !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// ticketNames reports whether ticket id names anyone of who: in the ticket or in a message.
func (tx *Tx) ticketNames(id uint64, who *people) (bool, error) {
	t, err := tx.findTicket(id)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	for a := range who.addrs {
		if t.IsParticipant(a) {
			return true, nil
		}
	}
	if who.mentions(t.Subject) || who.mentions(t.Requester.Name) {
		return true, nil
	}
	list, err := tx.messageRecords(id)
	if err != nil {
		return false, err
	}
	for i := range list {
		if who.hasAddress(list[i].From) || messageMentions(&list[i], who) {
			return true, nil
		}
	}
	return false, nil
}

// normalizePerson reads the address a person is asked about.
func normalizePerson(email string) (string, error) {
	addr, err := ticket.NormalizeEmail(email)
	if err != nil {
		return "", ticket.FieldError("epost", "«%s» er ikke en gyldig e-postadresse.", email)
	}
	return addr, nil
}

// collectPerson adds what each registered kind holds about who outside tickets.
func (tx *Tx) collectPerson(who *people, out *ticket.PersonData) error {
	for _, k := range personalKinds {
		if k.findPerson == nil {
			continue
		}
		if err := k.findPerson(tx, who.strict(), out); err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return nil
}
