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

// retentionInfo is the retention setting in force and what the anonymiser last did.
type retentionInfo struct {
	Setting ticket.RetentionSetting
	Last    ticket.RetentionRun
	Wired   bool
}

// retentionInfo reads the setting and the last run (nothing when retention is not wired).
func (s *Server) retentionInfo(c *fiber.Ctx) (retentionInfo, error) {
	if s.Retention == nil {
		return retentionInfo{}, nil
	}
	set, err := s.Retention.RetentionSetting(c.UserContext())
	if err != nil {
		return retentionInfo{}, err
	}
	last, err := s.Retention.LastRetentionRun(c.UserContext())
	return retentionInfo{Setting: set, Last: last, Wired: true}, err
}

func (s *Server) handleAdmin(c *fiber.Ctx) error {
	info, err := s.retentionInfo(c)
	if err != nil {
		return err
	}
	return s.renderAdmin(c, "admin", "", pageData{Title: "Administrasjon", Data: info, MailProblems: s.mailProblems()})
}
