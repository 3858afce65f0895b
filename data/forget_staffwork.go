package data

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The personal data of the staff's working tools: reply drafts, the notification queue and
// digests, and saved search texts. Each may name a requester or quote them.
func init() {
	registerPersonalData(personalData{
		name:    "utkast",
		buckets: [][]byte{bucketDrafts},
		// A draft may quote anyone in the ticket and carry their files: it goes with any
		// forgetting of the ticket, its files with it unless something else holds them.
		forgetTicket: func(tx *Tx, ft *ticketForgetting) error {
			hashes, err := tx.deleteDraftsOf(ft.t.ID)
			if err != nil {
				return fmt.Errorf("forget drafts of ticket %d: %w", ft.t.ID, err)
			}
			for h := range hashes {
				ft.f.blobs[h] = true
			}
			return nil
		},
	})
	registerPersonalData(personalData{
		name:    "varsler",
		buckets: [][]byte{bucketNotifyQueue, bucketNotifyDigest},
		// Queued events and digest items carry the ticket's subject and who wrote (an outside
		// address and name): those of the ticket go, so no later mail repeats them.
		forgetTicket: func(tx *Tx, ft *ticketForgetting) error {
			if err := tx.deleteNotificationsOf(bucketNotifyQueue, ft.t.ID, func(v []byte) (uint64, error) {
				var r eventRecord
				err := decode(v, &r)
				return r.TicketID, err
			}); err != nil {
				return err
			}
			return tx.deleteNotificationsOf(bucketNotifyDigest, ft.t.ID, func(v []byte) (uint64, error) {
				var r notificationRecord
				err := decode(v, &r)
				return r.TicketID, err
			})
		},
	})
	registerPersonalData(personalData{
		name:    "lagrede søk",
		buckets: [][]byte{bucketSearches, idxSearchUsed},
		// A search text is what staff typed, and may be a person's address or name. Texts
		// unused for ticket.SearchKeptFor go by themselves; forgetting a ticket (retention may
		// be shorter than that) or a person takes those that name them at once.
		forgetTicket: func(tx *Tx, ft *ticketForgetting) error {
			_, err := tx.forgetSearchesNaming(ft.who, ft.f)
			return err
		},
		forgetPerson: func(tx *Tx, who *people, f *forgetting) (int, error) {
			return tx.forgetSearchesNaming(who, f)
		},
	})
}

// forgetSearchesNaming deletes the saved search texts that name who, and returns how many. The
// texts are read once per transaction (f keeps them): retention forgets a hundred tickets in
// one, and each would otherwise read every saved search again.
func (tx *Tx) forgetSearchesNaming(who *people, f *forgetting) (int, error) {
	texts, err := f.searchTexts(tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for id, text := range texts {
		if !who.mentions(text) {
			continue
		}
		if err := tx.deleteSearch(id); err != nil {
			return 0, err
		}
		delete(texts, id)
		n++
	}
	return n, nil
}

// savedSearches are the saved search texts by id as one transaction read them.
type savedSearches struct {
	tx    *bolt.Tx
	texts map[string]string
}

// searchTexts returns the saved search texts as tx sees them, read at its first call in tx.
func (f *forgetting) searchTexts(tx *Tx) (map[string]string, error) {
	if f.searches.tx == tx.Tx && f.searches.texts != nil {
		return f.searches.texts, nil
	}
	texts := map[string]string{}
	err := tx.Bucket(bucketSearches).ForEach(func(k, v []byte) error {
		var r searchRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("search %s: %w", k, err)
		}
		texts[string(k)] = r.Text
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.searches = savedSearches{tx: tx.Tx, texts: texts}
	return texts, nil
}

// deleteNotificationsOf deletes the entries of bucket that belong to ticket id; ticketOf reads
// an entry's ticket. The queue and the digests hold minutes to a day of events, so a scan is
// cheap.
func (tx *Tx) deleteNotificationsOf(bucket []byte, id uint64, ticketOf func([]byte) (uint64, error)) error {
	var keys [][]byte
	err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		tid, err := ticketOf(v)
		if err != nil {
			return fmt.Errorf("%s entry %x: %w", bucket, k, err)
		}
		if tid == id {
			keys = append(keys, copyBytes(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Bucket(bucket).Delete(k); err != nil {
			return fmt.Errorf("forget %s entry of ticket %d: %w", bucket, id, err)
		}
	}
	return nil
}
