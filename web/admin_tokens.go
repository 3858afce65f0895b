package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

type tokensPage struct {
	Tokens []*ticket.Token
}

func (s *Server) renderTokens(c *fiber.Ctx, d pageData) error {
	tokens, err := s.Tokens.FindTokens(c.UserContext())
	if err != nil {
		return err
	}
	if d.Form == nil {
		d.Form = map[string]string{"rolle": string(ticket.RoleAgent)}
	}
	d.Title = "API-nøkler"
	d.Data = tokensPage{Tokens: tokens}
	return s.renderAdmin(c, "admin_tokens", "api-nokler", d)
}

func (s *Server) handleTokens(c *fiber.Ctx) error {
	d := pageData{}
	if c.Query("ok") == "slettet" {
		d.Notice = "API-nøkkelen er trukket tilbake. Programmer som brukte den, får ikke lenger tilgang."
	}
	return s.renderTokens(c, d)
}

// handleTokenCreate makes a token and shows its secret once; only its hash is stored.
func (s *Server) handleTokenCreate(c *fiber.Ctx) error {
	form := map[string]string{"navn": strings.TrimSpace(c.FormValue("navn")), "rolle": c.FormValue("rolle")}
	secret, id := NewTokenSecret()
	t := &ticket.Token{ID: id, Name: form["navn"], Role: ticket.Role(form["rolle"])}
	if err := s.Tokens.CreateToken(c.UserContext(), t); err != nil {
		errs := renameFields(err, map[string]string{"name": "navn", "role": "rolle"})
		if errs[0].Field == "" {
			return err
		}
		c.Status(fiber.StatusBadRequest)
		return s.renderTokens(c, pageData{Form: form, Errors: errs})
	}
	return s.renderSecret(c, "api-nokler", "API-nøkkelen er laget", "API-nøkkel «"+t.Name+"»", secret)
}

func (s *Server) handleTokenDelete(c *fiber.Ctx) error {
	if err := s.Tokens.DeleteToken(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/admin/api-nokler?ok=slettet", fiber.StatusSeeOther)
}
