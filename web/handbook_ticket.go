package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// articlesShown is how many articles the ticket page suggests.
const articlesShown = 3

// articleLink is a handbook article as a ticket page offers it: to read, and as a link to put
// in a reply.
type articleLink struct {
	Slug, Title, Excerpt string
	// URL is the article's public address, as it goes into a reply.
	URL string
}

// ticketArticles are the articles like the ticket's question (subject and first message), by
// the same likeness as the similar tickets. A failure leaves the section out.
func (s *Server) ticketArticles(c *fiber.Ctx, t *ticket.Ticket, msgs []*ticket.Message) []articleLink {
	if s.Overview.Handbook == nil {
		return nil
	}
	question := t.Subject
	if len(msgs) > 0 {
		body, _ := bodyAndQuote(msgs[0])
		question += "\n" + body
	}
	matches, err := s.Overview.Handbook.SuggestArticles(c.UserContext(), question, articlesShown)
	if err != nil {
		s.Logger.Error("articles for ticket page", "ref", t.Ref.String(), "err", err)
		return nil
	}
	var out []articleLink
	for _, m := range matches {
		out = append(out, s.articleLinkOf(m.Article))
	}
	return out
}

func (s *Server) articleLinkOf(a *ticket.Article) articleLink {
	return articleLink{Slug: a.Slug, Title: a.Title, Excerpt: articleExcerpt(a.Text, 200),
		URL: strings.TrimRight(s.BaseURL, "/") + "/handbok/" + a.Slug}
}

// articleOptions are the links the reply form can insert: the suggested articles first, then
// every other one by title. Each option's text is the line that goes into the reply.
func (s *Server) articleOptions(c *fiber.Ctx, suggested []articleLink) []cannedOption {
	if s.Overview.Handbook == nil {
		return nil
	}
	all, err := s.Overview.Handbook.FindArticles(c.UserContext())
	if err != nil {
		s.Logger.Error("articles for the reply form", "err", err)
		return nil
	}
	links := append([]articleLink(nil), suggested...)
	for _, a := range all {
		if !containsSlug(suggested, a.Slug) {
			links = append(links, s.articleLinkOf(a))
		}
	}
	out := make([]cannedOption, len(links))
	for i, l := range links {
		out[i] = cannedOption{Key: articleOptionPrefix + l.Slug, Title: l.Title, Text: articleLine(l)}
	}
	return out
}

// articleOptionPrefix marks an article among the reply form's canned responses.
const articleOptionPrefix = "artikkel:"

// articleLine is how an article goes into a reply: its title and its address.
func articleLine(l articleLink) string { return "«" + l.Title + "»: " + l.URL }

func containsSlug(list []articleLink, slug string) bool {
	for _, l := range list {
		if l.Slug == slug {
			return true
		}
	}
	return false
}

// insertArticleLink is «Sett inn» with an article chosen, for browsers without the script:
// the reply comes back with the article's line added.
func (s *Server) insertArticleLink(c *fiber.Ctx, st *composeState, slug string) error {
	a, err := s.Overview.Handbook.FindArticle(c.UserContext(), slug)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		st.Errors = ticket.FieldErrors{ticket.FieldError("mal", "Artikkelen finnes ikke lenger. Velg en annen.")}
		return s.showCompose(c, st, fiber.StatusUnprocessableEntity)
	} else if err != nil {
		return err
	}
	text := articleLine(s.articleLinkOf(a))
	if draft := strings.TrimRight(st.Reply, " \r\n"); draft != "" {
		text = draft + "\n\n" + text
	}
	st.Reply, st.Inserted = text, a.Title
	return s.showCompose(c, st, fiber.StatusOK)
}
