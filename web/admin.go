package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// adminPage is what every admin page gets: the admin menu (from the route table) and which
// area is open.
type adminPage struct {
	Areas   []menuLink
	Current string
	Data    any
}

func (s *Server) renderAdmin(c *fiber.Ctx, name, current string, d pageData) error {
	d.Nav = "admin"
	d.Data = adminPage{Areas: s.menu(adminMenu, userFrom(c)), Current: current, Data: d.Data}
	return s.render(c, name, d)
}

// retentionInfo is the retention setting and what the anonymiser last did.
type retentionInfo struct {
	Days    int
	Enabled bool
	Last    ticket.RetentionRun
}

func (s *Server) handleAdmin(c *fiber.Ctx) error {
	info := retentionInfo{Days: int(s.RetainFor.Hours() / 24), Enabled: s.RetainFor > 0}
	if s.Retention != nil {
		last, err := s.Retention.LastRetentionRun(c.UserContext())
		if err != nil {
			return err
		}
		info.Last = last
	}
	return s.renderAdmin(c, "admin", "", pageData{Title: "Administrasjon", Data: info, MailProblems: s.mailProblems()})
}
