package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// articleEditPage is the form of one article, new or existing, with its versions.
type articleEditPage struct {
	Article   *ticket.Article
	New       bool
	IfVersion int
	Tags      string
	Agencies  ticket.Agencies
	Errors    ticket.FieldErrors
	Versions  []*ticket.Article
}

func (s *Server) renderArticleEdit(c *fiber.Ctx, a *ticket.Article, isNew bool, ifVersion int, errs ticket.FieldErrors) error {
	d := articleEditPage{Article: a, New: isNew, IfVersion: ifVersion, Tags: strings.Join(a.Tags, ", "), Agencies: s.Agencies, Errors: errs}
	title := "Ny artikkel i håndboken"
	if !isNew {
		title = "Endre «" + a.Title + "»"
		var err error
		if d.Versions, err = s.Overview.Handbook.FindArticleVersions(c.UserContext(), a.Slug); err != nil {
			return err
		}
	}
	p := pageData{Title: title, Nav: "handbok", Data: d, Errors: errs}
	if msg := errs.ByField(""); msg != "" {
		p.Message, p.Errors = msg, nil
	}
	return s.render(c, "handbook_edit", p)
}

func (s *Server) handleArticleNew(c *fiber.Ctx) error {
	return s.renderArticleEdit(c, &ticket.Article{}, true, 0, nil)
}

func (s *Server) handleArticleEdit(c *fiber.Ctx) error {
	a, err := s.Overview.Handbook.FindArticle(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return s.renderArticleEdit(c, a, false, a.Version, nil)
}

// articleFromForm reads the edit form.
func articleFromForm(c *fiber.Ctx, slug string) *ticket.Article {
	a := &ticket.Article{Slug: slug, Title: c.FormValue("tittel"), Text: c.FormValue("tekst"),
		Tags: strings.FieldsFunc(c.FormValue("stikkord"), func(r rune) bool { return r == ',' || r == ';' })}
	for _, v := range c.Request().PostArgs().PeekMulti("etater") {
		a.Agencies = append(a.Agencies, string(v))
	}
	return a
}

func (s *Server) handleArticleCreate(c *fiber.Ctx) error {
	a := articleFromForm(c, c.FormValue("adresse"))
	err := s.Overview.Handbook.CreateArticle(c.UserContext(), a)
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderArticleEdit(c, a, true, 0, fe)
	} else if err != nil {
		return err
	}
	return c.Redirect("/handbok/"+a.Slug+"?ok=lagret", fiber.StatusSeeOther)
}

func (s *Server) handleArticleSave(c *fiber.Ctx) error {
	a := articleFromForm(c, c.Params("slug"))
	ifVersion, _ := strconv.Atoi(c.FormValue("versjon"))
	err := s.Overview.Handbook.SaveArticle(c.UserContext(), a, ifVersion)
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderArticleEdit(c, a, false, ifVersion, fe)
	} else if ticket.ErrorCode(err) == ticket.ECONFLICT {
		cur, ferr := s.Overview.Handbook.FindArticle(c.UserContext(), a.Slug)
		if ferr != nil {
			return ferr
		}
		c.Status(fiber.StatusConflict)
		return s.renderArticleEdit(c, a, false, cur.Version, ticket.FieldErrors{{Code: ticket.ECONFLICT, Message: ticket.ErrorMessage(err)}})
	} else if err != nil {
		return err
	}
	return c.Redirect("/handbok/"+a.Slug+"?ok=lagret", fiber.StatusSeeOther)
}

func (s *Server) handleArticleDelete(c *fiber.Ctx) error {
	ifVersion, _ := strconv.Atoi(c.FormValue("versjon"))
	if err := s.Overview.Handbook.DeleteArticle(c.UserContext(), c.Params("slug"), ifVersion); err != nil {
		return err
	}
	return c.Redirect("/handbok?ok=slettet", fiber.StatusSeeOther)
}
