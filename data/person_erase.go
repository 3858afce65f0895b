package data

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// eraseBatch is how many tickets one write transaction of an erasure forgets.
const eraseBatch = 100

// ErasePerson forgets everything stored about an address; see ticket.PersonService. Their own
// tickets are anonymised whole, as the retention rule would; they are taken out of everyone
// else's (found by idx_person and by searching their address and names); every registered
// kind forgets what it holds about them outside tickets. What a search for the address and the
// names still finds afterwards is reported as Remaining (someone else of the same name). The files
// nothing holds any more are deleted and the freed pages of the file overwritten. The audit
// line keeps no address, only a keyed hash of it (Erasure.Tag), so the log can show an erasure
// was done without holding whom it was for. An address with a staff account is refused.
func (s *PersonService) ErasePerson(ctx context.Context, email string) (ticket.Erasure, error) {
	var e ticket.Erasure
	addr, err := normalizePerson(email)
	if err != nil {
		return e, err
	}
	f := newForgetting()
	var who *people
	var list []personTicket
	var kept string
	err = s.db.view(ctx, func(tx *Tx) (err error) {
		if who, list, err = tx.findPerson(addr); err == nil {
			kept, err = tx.keptAbout(who)
		}
		return err
	})
	if err != nil {
		return e, fmt.Errorf("erase person: %w", err)
	}
	if kept != "" {
		return e, ticket.Errorf(ticket.ECONFLICT, "%s", kept)
	}
	if err := s.forgetTickets(ctx, who, list, f); err != nil {
		return e, fmt.Errorf("erase person: %w", err)
	}
	if e.Other, err = s.forgetOutsideTickets(ctx, who, f); err != nil {
		return e, fmt.Errorf("erase person: %w", err)
	}
	e.Tickets, e.Scrubbed = f.whole, f.scrubbed
	if e.Tickets+e.Scrubbed+e.Other == 0 {
		return e, ticket.Errorf(ticket.ENOTFOUND, "Det er ikke lagret noe om %s.", addr)
	}
	if err := s.db.sweepBlobs(ctx, f.blobs); err != nil {
		return e, fmt.Errorf("erase person: %w", err)
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		ids, err := tx.searchPerson(who)
		e.Remaining = len(ids)
		if err != nil {
			return err
		}
		if e.Tag, err = tx.personTag(addr); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventPerson, ticket.ActorFromContext(ctx).Name, "", "",
			fmt.Sprintf("sletting på forespørsel (kjennetegn %s): %d egne saker anonymisert, %d andre saker renset, %d andre oppføringer", e.Tag, e.Tickets, e.Scrubbed, e.Other))
	})
	if err != nil {
		return e, fmt.Errorf("erase person: %w", err)
	}
	// The erasure is done; with readers busy all along (a long backup), the daily job overwrites
	// the freed pages instead.
	if _, err := s.db.ScrubFreePages(ctx); err != nil && !errors.Is(err, errReadersBusy) {
		return e, fmt.Errorf("erase person: %w", err)
	}
	return e, nil
}

// keptAbout is why who may not be erased here: the kept sentence of a kind that holds something
// about them ("" when none does).
func (tx *Tx) keptAbout(who *people) (string, error) {
	for _, k := range personalKinds {
		if k.kept == "" || k.findPerson == nil {
			continue
		}
		var d ticket.PersonData
		if err := k.findPerson(tx, who.strict(), &d); err != nil {
			return "", err
		}
		if d.Account != nil || len(d.Events) > 0 || len(d.Mail) > 0 || len(d.Quarantine) > 0 {
			return k.kept, nil
		}
	}
	return "", nil
}

// forgetTickets forgets the tickets of list, a batch per transaction.
func (s *PersonService) forgetTickets(ctx context.Context, who *people, list []personTicket, f *forgetting) error {
	todo := list
	for len(todo) > 0 {
		batch := todo[:min(eraseBatch, len(todo))]
		todo = todo[len(batch):]
		err := s.db.update(ctx, func(tx *Tx) error {
			for _, pt := range batch {
				whole := pt.role == ticket.PersonRequester
				reason := "opplysninger om en person slettet på forespørsel"
				if whole {
					reason = "personopplysninger slettet på forespørsel fra innsenderen"
				}
				if err := tx.forgetTicket(pt.id, who.forRole(pt.role), whole, reason, f); err != nil {
					return err
				}
			}
			return tx.reindexNow(f)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// forgetOutsideTickets runs every registered kind's forgetPerson, in one transaction.
func (s *PersonService) forgetOutsideTickets(ctx context.Context, who *people, f *forgetting) (int, error) {
	n := 0
	err := s.db.update(ctx, func(tx *Tx) error {
		for _, k := range personalKinds {
			if k.forgetPerson == nil {
				continue
			}
			m, err := k.forgetPerson(tx, who.strict(), f)
			if err != nil {
				return fmt.Errorf("%s: %w", k.name, err)
			}
			n += m
		}
		return nil
	})
	return n, err
}

// personTag is the keyed hash an erasure's audit line names an address by: the same address
// always gives the same tag on this server, and the tag gives nothing back.
func (tx *Tx) personTag(addr string) (string, error) {
	k := []byte("secret/person")
	secret := copyBytes(tx.Bucket(bucketMeta).Get(k))
	if secret == nil {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return "", err
		}
		if err := tx.Bucket(bucketMeta).Put(k, secret); err != nil {
			return "", err
		}
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(addr))
	return hex.EncodeToString(mac.Sum(nil))[:16], nil
}
