package report

import (
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The parts of a ticket that the JSON API (web/api_ticket.go) and the JSON ticket export show
// alike, defined once so the two stay one shape.

// NumberJSON is a municipality or county: its number and name.
type NumberJSON struct {
	Number string `json:"number"`
	Name   string `json:"name"`
}

// ReferralJSON is a referral of a ticket to an agency.
type ReferralJSON struct {
	Agency     string     `json:"agency"`
	Status     string     `json:"status"`
	SentAt     time.Time  `json:"sent_at"`
	AnsweredAt *time.Time `json:"answered_at"`
}

// ReferralsJSON lists the referrals of t; an empty list, never null.
func ReferralsJSON(t *ticket.Ticket) []ReferralJSON {
	list := []ReferralJSON{}
	for _, r := range t.Referrals {
		list = append(list, ReferralJSON{Agency: r.Agency, Status: string(r.Status), SentAt: r.SentAt.UTC(), AnsweredAt: TimeJSON(r.AnsweredAt)})
	}
	return list
}

// TimeJSON is t in UTC, or nil (null) when it is not set.
func TimeJSON(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
