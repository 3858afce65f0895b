package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The user's notifications, /konto/varsler: which kinds, which agencies to follow, and a mail
// per event or a daily digest.

type notifyPage struct {
	Settings ticket.NotifySettings
	Kinds    []ticket.NotifyKind
	Agencies ticket.Agencies
	Hours    []int
}

func (s *Server) renderNotifySettings(c *fiber.Ctx, ns ticket.NotifySettings, d pageData) error {
	hours := make([]int, 24)
	for i := range hours {
		hours[i] = i
	}
	d.Title, d.Nav = "Varsler", "konto"
	d.Data = notifyPage{Settings: ns, Kinds: ticket.NotifyKinds, Agencies: s.Agencies, Hours: hours}
	return s.render(c, "notify_settings", d)
}

func (s *Server) handleNotifySettings(c *fiber.Ctx) error {
	ns, err := s.Notifications.FindNotifySettings(c.UserContext(), userFrom(c).ID)
	if err != nil {
		return err
	}
	d := pageData{}
	if c.Query("ok") == "lagret" {
		d.Notice = "Varslene er lagret."
	}
	return s.renderNotifySettings(c, ns, d)
}

func (s *Server) handleNotifySettingsSave(c *fiber.Ctx) error {
	u := userFrom(c)
	ns := ticket.NotifySettings{UserID: u.ID, Digest: c.FormValue("levering") == "daglig"}
	for _, k := range formValues(c, "varsel") {
		ns.Kinds = append(ns.Kinds, ticket.NotifyKind(k))
	}
	ns.Agencies = formValues(c, "etat")
	hour, err := strconv.Atoi(c.FormValue("klokkeslett", strconv.Itoa(ticket.DefaultDigestHour)))
	if err != nil {
		hour = -1
	}
	ns.DigestHour = hour
	if err := ns.Validate(s.Agencies); err != nil {
		if fe := ticket.FieldErrorsOf(err); fe != nil {
			c.Status(fiber.StatusBadRequest)
			return s.renderNotifySettings(c, ns, pageData{Errors: fe})
		}
		return err
	}
	if err := s.Notifications.SaveNotifySettings(c.UserContext(), ns); err != nil {
		return err
	}
	return c.Redirect("/konto/varsler?ok=lagret", fiber.StatusSeeOther)
}
