package data

import (
	"github.com/ks-no/digihjelpen/ticket"
)

func init() {
	registerPersonalData(personalData{
		name: "ansattkontoer",
		buckets: [][]byte{bucketUsers, idxUserEmail, idxUserSSO, bucketSessions, bucketTokens,
			bucketTwoFactor, bucketPasswordResets,
			// what a staff member chose and opened: their notification settings, when they last
			// opened each ticket (the inbox's markers), the views they saved
			bucketNotifySettings, bucketSeen, bucketSavedViews},
		findPerson: func(tx *Tx, who *people, out *ticket.PersonData) error {
			for a := range who.addrs {
				id := tx.Bucket(idxUserEmail).Get([]byte(a))
				if id == nil {
					continue
				}
				u, err := tx.findUser(btou64(id))
				if err != nil {
					return err
				}
				u.PasswordHash = ""
				out.Account = u
			}
			return nil
		},
		kept: "Adressen har en ansattkonto, og den slettes ikke her: navnet står som den som gjorde noe i " +
			"revisjonsloggen. Deaktiver kontoen under Brukere.",
	})
}
