package data

import "bytes"

func init() {
	registerPersonalData(personalData{
		name:    "avsendergrense",
		buckets: [][]byte{bucketSenders, bucketSenderTimes},
		forgetTicket: func(tx *Tx, ft *ticketForgetting) error {
			if !ft.whole {
				return nil
			}
			return tx.forgetTicketSender(ft.t.ID)
		},
		forgetPerson: func(tx *Tx, who *people, _ *forgetting) (int, error) {
			n := 0
			for a := range who.addrs {
				prefix := str0(a)
				var keys [][]byte
				c := tx.Bucket(bucketSenders).Cursor()
				for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
					keys = append(keys, copyBytes(k[len(prefix):])) // time | ticket id
				}
				for _, k := range keys {
					if err := tx.forgetSender(key(k, []byte(a))); err != nil {
						return n, err
					}
					n++
				}
			}
			return n, nil
		},
	})
}
