package web

import (
	"html/template"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// handbookPage is /handbok: the articles, found by words, tag or agency.
type handbookPage struct {
	Articles []articleItem
	Query    string
	Tag      string
	Agency   string
	Tags     []string
	Agencies ticket.Agencies
	Staff    bool
	// SelfHelp is how many questions articles answered before they were sent, the last 30 days.
	SelfHelp int
	Total    int
}

type articleItem struct {
	Slug, Title, Excerpt string
	Tags                 []string
}

// selfHelpDays is the window of the count staff see on /handbok.
const selfHelpDays = 30

func (s *Server) handleHandbook(c *fiber.Ctx) error {
	ctx := c.UserContext()
	all, err := s.Overview.Handbook.FindArticles(ctx)
	if err != nil {
		return err
	}
	d := handbookPage{Query: strings.TrimSpace(c.Query("q")), Tag: c.Query("stikkord"), Agency: c.Query("etat"),
		Agencies: s.Agencies, Staff: isStaff(c), Total: len(all)}
	list := all
	if d.Query != "" {
		if list, err = s.searchArticles(c, all, d.Query); err != nil {
			return err
		}
	}
	for _, a := range all {
		for _, t := range a.Tags {
			if !slices.Contains(d.Tags, t) {
				d.Tags = append(d.Tags, t)
			}
		}
	}
	slices.Sort(d.Tags)
	for _, a := range list {
		if (d.Tag == "" || slices.Contains(a.Tags, d.Tag)) && (d.Agency == "" || slices.Contains(a.Agencies, d.Agency)) {
			d.Articles = append(d.Articles, articleItem{Slug: a.Slug, Title: a.Title, Excerpt: articleExcerpt(a.Text, 220), Tags: a.Tags})
		}
	}
	if d.Staff {
		now := s.Now()
		if d.SelfHelp, _, err = s.Overview.Handbook.SelfHelpCounts(ctx, now.AddDate(0, 0, -selfHelpDays), now); err != nil {
			return err
		}
	}
	return s.renderCached(c, "handbook", pageData{Title: "Håndboken", Nav: "handbok", Data: d, Public: !d.Staff, Index: true})
}

// searchArticles finds articles by their likeness to q, and those whose title has q.
func (s *Server) searchArticles(c *fiber.Ctx, all []*ticket.Article, q string) ([]*ticket.Article, error) {
	matches, err := s.Overview.Handbook.SuggestArticles(c.UserContext(), q, 50)
	if err != nil {
		return nil, err
	}
	var out []*ticket.Article
	for _, m := range matches {
		out = append(out, m.Article)
	}
	fq := foldName(q)
	for _, a := range all {
		if strings.Contains(foldName(a.Title), fq) && !slices.ContainsFunc(out, func(b *ticket.Article) bool { return b.Slug == a.Slug }) {
			out = append(out, a)
		}
	}
	return out, nil
}

// articlePage is /handbok/{slug}.
type articlePage struct {
	Article  *ticket.Article
	HTML     template.HTML
	Agencies []string
	Staff    bool
	// FromForm is set when a suggestion on the question form led here: the page asks whether
	// the article answered the question.
	FromForm bool
	Thanked  bool
	Versions []*ticket.Article
}

func (s *Server) handleArticle(c *fiber.Ctx) error {
	ctx := c.UserContext()
	a, err := s.Overview.Handbook.FindArticle(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	d := articlePage{Article: a, HTML: articleHTML(a.Text), Staff: isStaff(c), FromForm: c.Query("fra") == "skjema", Thanked: c.Query("takk") == "1"}
	for _, key := range a.Agencies {
		d.Agencies = append(d.Agencies, s.Agencies.Name(key))
	}
	if d.Staff {
		if d.Versions, err = s.Overview.Handbook.FindArticleVersions(ctx, a.Slug); err != nil {
			return err
		}
	}
	if d.FromForm && !d.Thanked {
		c.Set(fiber.HeaderCacheControl, "no-store") // its form carries this browser's CSRF token
		return s.render(c, "handbook_article", pageData{Title: a.Title, Nav: "handbok", Data: d, Public: !d.Staff})
	}
	return s.renderCached(c, "handbook_article", pageData{Title: a.Title, Nav: "handbok", Data: d, Public: !d.Staff, Index: true})
}

// handleSelfHelp counts a question that an article answered before it was sent («Ja, dette
// svarte på spørsmålet mitt»), once per press, within the form's limit per address.
func (s *Server) handleSelfHelp(c *fiber.Ctx) error {
	a, err := s.Overview.Handbook.FindArticle(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	key := s.clientKey(c)
	if blocked, wait := s.public.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		return ticket.Errorf(ticket.ERATELIMIT, "Det er sendt mange skjemaer fra denne adressen den siste timen. Vent litt og prøv igjen.")
	}
	if err := s.Overview.Handbook.RecordSelfHelp(c.UserContext(), a.Slug); err != nil {
		return err
	}
	s.public.Fail(key)
	return c.Redirect("/handbok/"+a.Slug+"?fra=skjema&takk=1", fiber.StatusSeeOther)
}

// articleSuggestion is one suggestion for the question form's script.
type articleSuggestion struct {
	Title   string `json:"title"`
	URL     string `json:"url"`
	Excerpt string `json:"excerpt"`
}

// maxSuggestText bounds the text the form's script sends; the start of a question is enough.
const maxSuggestText = 4000

// handleArticleSuggestions answers the question form's script as people type: the articles
// like the text, as JSON.
func (s *Server) handleArticleSuggestions(c *fiber.Ctx) error {
	text := c.Query("tekst")
	if len(text) > maxSuggestText {
		text = text[:maxSuggestText]
	}
	matches, err := s.Overview.Handbook.SuggestArticles(c.UserContext(), text, formSuggestions)
	if err != nil {
		return err
	}
	out := []articleSuggestion{}
	for _, m := range matches {
		out = append(out, articleSuggestion{Title: m.Article.Title, URL: "/handbok/" + m.Article.Slug + "?fra=skjema", Excerpt: articleExcerpt(m.Article.Text, 160)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"articles": out})
}

// formSuggestions is how many articles the question form offers.
const formSuggestions = 3
