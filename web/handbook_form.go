package web

import "github.com/gofiber/fiber/v2"

// fieldSeen marks a question whose suggestions the asker has seen: the script sets it when it
// showed them as the question was typed, the step below when it showed them after «Send».
const fieldSeen = "forslag_vist"

// formArticlesPage is the step between «Send» and the ticket for a browser without the
// script: the articles like the question, and the question ready to be sent as it is.
type formArticlesPage struct {
	Articles []articleSuggestion
	Form     map[string]string
}

// offerArticles shows the articles like the question before it is sent, once, and reports
// whether it did. A question with files goes straight on: a browser cannot be given files
// back, and whoever attached a screenshot wants an answer. A failing suggestion never stops a
// question: it is logged and the question is sent.
func (s *Server) offerArticles(c *fiber.Ctx, f questionForm) (bool, error) {
	if s.Overview.Handbook == nil || c.FormValue(fieldSeen) == "1" || len(f.Files) > 0 {
		return false, nil
	}
	matches, err := s.Overview.Handbook.SuggestArticles(c.UserContext(), f.Question, formSuggestions)
	if err != nil {
		s.Logger.Error("suggest articles for the form", "err", err)
		return false, nil
	}
	if len(matches) == 0 {
		return false, nil
	}
	d := formArticlesPage{Form: f.values()}
	for _, m := range matches {
		d.Articles = append(d.Articles, articleSuggestion{Title: m.Article.Title, URL: "/handbok/" + m.Article.Slug + "?fra=skjema",
			Excerpt: articleExcerpt(m.Article.Text, 240)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return true, s.render(c, "form_articles", pageData{Title: "Kanskje dette svarer på spørsmålet?", Public: true, Data: d})
}

// articleSlugOf is the slug of a suggestion's address.
func articleSlugOf(url string) string {
	const prefix, suffix = "/handbok/", "?fra=skjema"
	return url[len(prefix) : len(url)-len(suffix)]
}
