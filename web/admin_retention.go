package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// retentionPreviewRows is how many of the tickets the next run takes the page lists.
const retentionPreviewRows = 20

// retentionPage is the retention setting, the last run, and what the next run would take with
// the setting in force or the one being tried.
type retentionPage struct {
	retentionInfo
	Days    int // the days in the form: the setting, or what the admin tried
	Trying  bool
	Preview ticket.RetentionPreview
	Shown   int // how many of Preview.Tickets the table shows
}

func (s *Server) handleRetention(c *fiber.Ctx) error {
	d := pageData{}
	if c.Query("ok") == "lagret" {
		d.Notice = "Oppbevaringstiden er lagret og gjelder fra neste kjøring. Endringen står i revisjonsloggen."
	}
	return s.renderRetention(c, d, -1)
}

// renderRetention shows the page; days is the value to preview (-1: the setting in force).
func (s *Server) renderRetention(c *fiber.Ctx, d pageData, days int) error {
	info, err := s.retentionInfo(c)
	if err != nil {
		return err
	}
	p := retentionPage{retentionInfo: info, Days: info.Setting.Days(), Trying: days >= 0}
	after := info.Setting.After
	if p.Trying {
		p.Days, after = days, time.Duration(days)*24*time.Hour
	}
	if after > 0 {
		cutoff := s.Now().Add(-after)
		if p.Preview, err = s.Retention.PreviewRetention(c.UserContext(), cutoff, retentionPreviewRows); err != nil {
			return err
		}
		p.Shown = len(p.Preview.Tickets)
	}
	d.Title, d.Data = "Oppbevaring av personopplysninger", p
	return s.renderAdmin(c, "admin_retention", "oppbevaring", d)
}

// handleRetentionSave previews (handling=forhandsvis) or stores the number of days.
func (s *Server) handleRetentionSave(c *fiber.Ctx) error {
	text := strings.TrimSpace(c.FormValue("dager"))
	days, err := strconv.Atoi(text)
	after := time.Duration(days) * 24 * time.Hour
	if err != nil {
		err = ticket.FieldError("dager", "Skriv et helt antall dager, eller 0 for å slå anonymiseringen av.")
	} else {
		err = ticket.ValidateRetention(after)
	}
	if err != nil {
		c.Status(fiber.StatusBadRequest)
		return s.renderRetention(c, pageData{Errors: ticket.FieldErrorsOf(err), Form: map[string]string{"dager": text}}, -1)
	}
	if c.FormValue("handling") == "forhandsvis" {
		return s.renderRetention(c, pageData{}, days)
	}
	if _, err := s.Retention.SetRetention(c.UserContext(), after); err != nil {
		return err
	}
	return c.Redirect("/admin/oppbevaring?ok=lagret", fiber.StatusSeeOther)
}
