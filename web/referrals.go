package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// ReferralFinder lists the referrals still waiting for an agency's answer.
type ReferralFinder interface {
	FindOpenReferrals(ctx context.Context) ([]ticket.OpenReferral, error)
}

// referralRow is one open referral as the page shows it.
type referralRow struct {
	ticket.OpenReferral
	Agency  string
	Days    int       // days since it was sent
	Overdue bool      // the reminder has fired
	Due     time.Time // when the reminder fires (zero: never)
}

type referralsPage struct {
	Rows         []referralRow
	Overdue      int
	OnlyOverdue  bool
	ReminderDays int
}

// handleReferrals lists the open referrals, oldest first, with those the agency has not
// answered in time first among equals; ?forfalt=1 shows only those.
func (s *Server) handleReferrals(c *fiber.Ctx) error {
	open, err := s.Referrals.FindOpenReferrals(c.UserContext())
	if err != nil {
		return err
	}
	d := referralsPage{OnlyOverdue: c.Query("forfalt") == "1", ReminderDays: int(s.ReminderAfter / (24 * time.Hour))}
	now, as := s.Now(), s.agencyNames(c)
	for _, o := range open {
		row := referralRow{OpenReferral: o, Agency: as.Name(o.Referral.Agency),
			Days: int(now.Sub(o.Referral.SentAt) / (24 * time.Hour)), Overdue: !o.Referral.RemindedAt.IsZero()}
		if due, ok := o.Referral.Due(s.ReminderAfter); ok {
			row.Due = due
		}
		if row.Overdue {
			d.Overdue++
		}
		if !d.OnlyOverdue || row.Overdue {
			d.Rows = append(d.Rows, row)
		}
	}
	return s.render(c, "referrals", pageData{Title: "Henvisninger", Nav: "henvisninger", Data: d})
}
