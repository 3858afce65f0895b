package ticket

import (
	"regexp"
	"slices"
)

// articleLinkPattern finds an article's address in a text, as «Sett inn» puts it into a reply
// («Title»: {base_url}/handbok/{slug}): any http(s) host, since storage does not know the base
// URL, and a slug as the handbook makes them.
var articleLinkPattern = regexp.MustCompile(`https?://[^\s/<>"]+/handbok/([a-z0-9]+(?:-[a-z0-9]+)*)`)

// LinkedArticles returns the slugs of the handbook's articles that text links to, each once, in
// the order they first appear. The handbook's own pages (ny, forslag) are no article.
func LinkedArticles(text string) []string {
	var slugs []string
	for _, m := range articleLinkPattern.FindAllStringSubmatch(text, -1) {
		if s := m[1]; !slices.Contains(reservedSlugs, s) && !slices.Contains(slugs, s) {
			slugs = append(slugs, s)
		}
	}
	return slugs
}

// LinkArticles adds the articles a reply to the requester links to t.Articles, for the
// statistics' «hull i håndboken» (tickets answered without an article link). The list is
// copied on change, so a copy of t made before keeps its own.
func (t *Ticket) LinkArticles(reply string) {
	for _, s := range LinkedArticles(reply) {
		if !slices.Contains(t.Articles, s) {
			t.Articles = append(slices.Clip(t.Articles), s)
		}
	}
}
