package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// apiQuarantined is a quarantined mail as the JSON API shows it.
type apiQuarantined struct {
	ID          uint64     `json:"id"`
	Reason      string     `json:"reason"`
	ReasonLabel string     `json:"reason_label"`
	Detail      string     `json:"detail"`
	From        string     `json:"from"`
	Subject     string     `json:"subject"`
	MessageID   string     `json:"message_id"`
	Size        int64      `json:"size"`
	Source      string     `json:"source"`
	Truncated   bool       `json:"truncated"`
	ReceivedAt  time.Time  `json:"received_at"`
	Attempts    int        `json:"attempts"`
	LastTryAt   *time.Time `json:"last_try_at"`
}

// handleAPIQuarantine lists quarantined mail, newest first: ?reason= filters, ?limit= bounds a
// page, ?cursor= (the "next" of the page before) continues.
func (s *Server) handleAPIQuarantine(c *fiber.Ctx) error {
	f := ticket.QuarantineFilter{Reason: ticket.QuarantineReason(c.Query("reason")), Limit: c.QueryInt("limit", ticket.DefaultLimit)}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return ticket.Errorf(ticket.EINVALID, "Ugyldig cursor «%s».", v)
		}
		f.Before = n
	}
	list, total, err := s.Quarantine.FindQuarantine(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := struct {
		Quarantine []apiQuarantined `json:"quarantine"`
		Total      int              `json:"total"`
		Next       string           `json:"next"`
	}{Quarantine: []apiQuarantined{}, Total: total}
	for _, q := range list {
		out.Quarantine = append(out.Quarantine, apiQuarantined{
			ID: q.ID, Reason: string(q.Reason), ReasonLabel: q.Reason.Label(), Detail: q.Detail, From: q.From, Subject: q.Subject,
			MessageID: q.MessageID, Size: q.Size, Source: q.Source, Truncated: q.Truncated, ReceivedAt: q.ReceivedAt.UTC(),
			Attempts: q.Attempts, LastTryAt: report.TimeJSON(q.LastTry),
		})
	}
	if limit := min(max(f.Limit, 1), ticket.MaxLimit); len(list) == limit && len(list) < total {
		out.Next = strconv.FormatUint(list[len(list)-1].ID, 10)
	}
	return c.JSON(out)
}
