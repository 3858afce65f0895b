package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// handleInboxSearch answers the search box. The search text may name a person, so it comes
// in a POST body: it never lands in a URL, the browser history, a proxy log or a Referer. It
// is kept under an opaque id, and the browser is sent to the results' own address,
// /innboks?sok=<id>, with the filters the search came with, which can be bookmarked, shared
// with a colleague and reloaded. Without a SearchService the results are the POST's answer.
func (s *Server) handleInboxSearch(c *fiber.Ctx) error {
	q := readInboxQuery(func(k string) string { return c.FormValue(k) })
	if q.Query == "" {
		return c.Redirect("/innboks", fiber.StatusSeeOther)
	}
	if ref, err := ticket.ParseRef(q.Query); err == nil {
		return c.Redirect("/saker/"+ref.String(), fiber.StatusSeeOther)
	}
	q.View, q.Cursor, q.Saved = "alle", "", ""
	if s.Searches == nil {
		return s.renderInbox(c, q)
	}
	id, err := s.Searches.SaveSearch(c.UserContext(), q.Query)
	if err != nil {
		return err
	}
	q.SearchID = id
	return c.Redirect(q.url(), fiber.StatusSeeOther)
}
