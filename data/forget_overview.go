package data

import (
	"bytes"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// The personal data of the programme's overview: a requester's comment on our answer, and the
// contact and note of a municipality's register entry, which may name an employee.
func init() {
	registerPersonalData(personalData{
		name:    "tilbakemeldinger",
		buckets: [][]byte{bucketFeedback},
		// Yes or no stays for the reports; the comment is the requester's words, so it goes
		// with the ticket's anonymisation, and with anyone's erasure when it names them.
		forgetTicket: func(tx *Tx, ft *ticketForgetting) error {
			if !ft.whole {
				f, err := tx.findFeedback(ft.t.ID)
				if err != nil || f == nil || !ft.who.mentions(f.Comment) {
					return err
				}
			}
			return tx.anonymiseFeedback(ft.t.ID)
		},
	})
	registerPersonalData(personalData{
		name:    "kommuneregister",
		buckets: [][]byte{bucketRegister, bucketRegisterVersions},
		findPerson: func(tx *Tx, who *people, out *ticket.PersonData) error {
			return tx.Bucket(bucketRegister).ForEach(func(k, v []byte) error {
				o, err := decodeOffer(k, v)
				if err != nil {
					return err
				}
				if who.mentions(o.Contact) || who.mentions(o.Note) {
					out.RegisterEntries = append(out.RegisterEntries, o)
				}
				return nil
			})
		},
		// Every version that names them loses the name or address in its contact and note;
		// the entry keeps its version numbers, so its history stays in order.
		forgetPerson: func(tx *Tx, who *people, _ *forgetting) (int, error) {
			n := 0
			for _, bucket := range [][]byte{bucketRegister, bucketRegisterVersions} {
				changed, err := scrubOffers(tx, bucket, who)
				if err != nil {
					return n, err
				}
				n += changed
			}
			if n > 0 {
				tx.OnCommit(tx.db.offers.clear)
			}
			return n, nil
		},
	})
}

// scrubOffers replaces who in the contact and note of every entry of bucket, and returns how
// many it changed.
func scrubOffers(tx *Tx, bucket []byte, who *people) (int, error) {
	return tx.rewrite(bucket, nil, func(k, v []byte) ([]byte, error) {
		var r offerRecord
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("register entry %q: %w", bytes.TrimRight(k, "\x00"), err)
		}
		if !who.mentions(r.Contact) && !who.mentions(r.Note) {
			return nil, nil
		}
		r.Contact, r.Note = who.scrub(r.Contact), who.scrub(r.Note)
		return encode(r)
	})
}
