package data

import (
	"context"
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// SaveOffer stores o as the next version of its number, unless someone saved since ifVersion.
// An entry that says what the current one says writes nothing.
func (s *RegisterService) SaveOffer(ctx context.Context, o *ticket.Offer, ifVersion int) error {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.currentOffer(o.Number)
		if err != nil {
			return err
		}
		if cur == nil {
			cur = ticket.UnknownOffer(o.Number)
		}
		if cur.Version != ifVersion {
			return ticket.Errorf(ticket.ECONFLICT, "Oppføringen er endret av %s siden du åpnet den (nå versjon %d). Det du skrev, står i skjemaet; se gjennom og lagre igjen.", cur.UpdatedBy, cur.Version)
		}
		_, err = tx.putOffer(o, cur, actor, "")
		return err
	})
}

// ImportOffers saves every entry that differs from the current one, in one transaction.
func (s *RegisterService) ImportOffers(ctx context.Context, offers []*ticket.Offer) (ticket.RegisterImport, error) {
	var res ticket.RegisterImport
	for _, o := range offers {
		o.Normalize()
		if err := o.Validate(); err != nil {
			return res, fmt.Errorf("%s: %w", o.Number, err)
		}
	}
	actor := ticket.ActorFromContext(ctx).Name
	err := s.db.update(ctx, func(tx *Tx) error {
		res = ticket.RegisterImport{}
		for _, o := range offers {
			cur, err := tx.currentOffer(o.Number)
			if err != nil {
				return err
			}
			if cur == nil {
				cur = ticket.UnknownOffer(o.Number)
			}
			changed, err := tx.putOffer(o, cur, actor, " (import)")
			if err != nil {
				return err
			}
			if changed {
				res.Changed++
			} else {
				res.Unchanged++
			}
		}
		return nil
	})
	return res, err
}

// putOffer writes o as the version after cur, with its audit event, and keeps the in-memory
// flags in step once the transaction commits. It reports false, writing nothing, when o says
// what cur says.
func (tx *Tx) putOffer(o, cur *ticket.Offer, actor, how string) (bool, error) {
	changes := o.Changes(cur)
	if len(changes) == 0 {
		o.Version, o.UpdatedBy, o.UpdatedAt = cur.Version, cur.UpdatedBy, cur.UpdatedAt
		return false, nil
	}
	o.Version, o.UpdatedBy, o.UpdatedAt = cur.Version+1, actor, tx.now
	buf, err := encode(toOfferRecord(o))
	if err != nil {
		return false, err
	}
	if err := tx.Bucket(bucketRegister).Put([]byte(o.Number), buf); err != nil {
		return false, fmt.Errorf("put register entry %s: %w", o.Number, err)
	}
	if err := tx.Bucket(bucketRegisterVersions).Put(offerVersionKey(o.Number, o.Version), buf); err != nil {
		return false, fmt.Errorf("put register entry %s version %d: %w", o.Number, o.Version, err)
	}
	detail := fmt.Sprintf("versjon %d%s: %s endret", o.Version, how, strings.Join(changes, ", "))
	if o.Status != cur.Status {
		detail += fmt.Sprintf("; status «%s» → «%s»", cur.Status, o.Status)
	}
	if err := tx.addEvent(0, ticket.EventRegister, actor, "", o.Number, detail); err != nil {
		return false, err
	}
	number, need, version := o.Number, o.SpecialNeed, o.Version
	tx.OnCommit(func() {
		tx.db.needs.set(number, need, version)
		tx.db.offers.clear()
	})
	return true, nil
}
