package data

import (
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// statsRecord is how a ticket's StatsTicket is stored. Times are kept in UTC so that the same
// ticket always encodes to the same bytes (Verify compares them).
type statsRecord struct {
	Created       time.Time               `json:"c"`
	FirstResponse time.Time               `json:"fr,omitzero"`
	Agency        string                  `json:"ag"`
	Channel       string                  `json:"ch"`
	Municipality  string                  `json:"m,omitempty"`
	County        string                  `json:"cn,omitempty"`
	Category      string                  `json:"cat,omitempty"`
	Tags          []string                `json:"tags,omitempty"`
	ArticleLinked bool                    `json:"art,omitempty"`
	Referrals     []statsReferralRecord   `json:"refs,omitempty"`
	Transitions   []statsTransitionRecord `json:"tr,omitempty"`
}

type statsReferralRecord struct {
	Agency   string    `json:"ag"`
	Sent     time.Time `json:"s"`
	Answered time.Time `json:"a,omitzero"`
}

type statsTransitionRecord struct {
	At       time.Time `json:"at"`
	Resolved bool      `json:"r,omitempty"`
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

func toStatsRecord(s *ticket.StatsTicket) *statsRecord {
	r := &statsRecord{Created: utc(s.CreatedAt), FirstResponse: utc(s.FirstResponseAt), Agency: s.Agency,
		Channel: string(s.Channel), Municipality: s.Municipality, County: s.County,
		Category: s.Category, Tags: s.Tags, ArticleLinked: s.ArticleLinked}
	for _, f := range s.Referrals {
		r.Referrals = append(r.Referrals, statsReferralRecord{Agency: f.Agency, Sent: utc(f.SentAt), Answered: utc(f.AnsweredAt)})
	}
	for _, tr := range s.Transitions {
		r.Transitions = append(r.Transitions, statsTransitionRecord{At: utc(tr.At), Resolved: tr.Resolved})
	}
	return r
}

func (r *statsRecord) stats(id uint64) *ticket.StatsTicket {
	s := &ticket.StatsTicket{ID: id, CreatedAt: r.Created, FirstResponseAt: r.FirstResponse, Agency: r.Agency,
		Channel: ticket.Channel(r.Channel), Municipality: r.Municipality, County: r.County,
		Category: r.Category, Tags: r.Tags, ArticleLinked: r.ArticleLinked}
	for _, f := range r.Referrals {
		s.Referrals = append(s.Referrals, ticket.StatsReferral{Agency: f.Agency, SentAt: f.Sent, AnsweredAt: f.Answered})
	}
	for _, tr := range r.Transitions {
		s.Transitions = append(s.Transitions, ticket.Transition{At: tr.At, Resolved: tr.Resolved})
	}
	return s
}
