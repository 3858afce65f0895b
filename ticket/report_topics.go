package ticket

import (
	"sort"
	"time"
)

// NoTopic is the topic of a ticket that came without one: mail has no form to choose it in.
const NoTopic = "ingen"

// TopicName is a topic as people read it: the form's label, or «Uten tema (e-post)».
func TopicName(key string) string {
	if c, ok := FindCategory(key); ok {
		return c.Label
	}
	if key == NoTopic {
		return "Uten tema (e-post)"
	}
	return key
}

// The kinds of a gap in the handbook: a topic chosen in the form, or a tag.
const (
	GapTopic = "topic"
	GapTag   = "tag"
)

// HandbookGapCount is how many gaps the report lists.
const HandbookGapCount = 10

// HandbookGap is a topic or tag of «hull i håndboken»: of the tickets resolved in the period
// after an answer (Answered), how many no reply linked an article of the handbook to
// (WithoutArticle). The most frequent such topics are where the handbook may lack an article.
type HandbookGap struct {
	Kind, Key, Name string
	Answered        int
	WithoutArticle  int
}

// FeedbackStats counts the requesters' answers to «Fikk du svar du kunne bruke?» given in the
// period (a ticket's latest answer, at the time it was given), in all and by the ticket's agency
// when it was given.
type FeedbackStats struct {
	Useful, NotUseful int
	ByAgency          map[string]*FeedbackCount
}

// SelfHelpStats counts the questions an article of the handbook answered on the public form
// before they were sent: in all, and by article, most first.
type SelfHelpStats struct {
	Total     int
	ByArticle []*ArticleCount
}

// ArticleCount is how many questions one article answered.
type ArticleCount struct {
	Slug, Title string
	Count       int
}

// topicOf is the topic key of a fact.
func topicOf(f Fact) string {
	if f.Category == "" {
		return NoTopic
	}
	return f.Category
}

// topics applies fn to the fact's topic and each of its tags.
func (b *ReportBuilder) topics(f Fact, fn func(*Breakdown)) {
	fn(bump(b.r.ByTopic, topicOf(f)))
	for _, tag := range f.Tags {
		fn(bump(b.r.ByTag, tag))
	}
}

// addGap counts a resolved ticket in the gaps of its topic and tags, if it was answered.
func addGap(gaps map[[2]string]*HandbookGap, f Fact) {
	if !f.Responded {
		return // closed without an answer (spam, a duplicate): no answer lacked an article
	}
	add := func(kind, key string) {
		g := gaps[[2]string{kind, key}]
		if g == nil {
			g = &HandbookGap{Kind: kind, Key: key, Name: key}
			gaps[[2]string{kind, key}] = g
		}
		g.Answered++
		if !f.ArticleLinked {
			g.WithoutArticle++
		}
	}
	if f.Category != "" {
		add(GapTopic, f.Category)
	}
	for _, tag := range f.Tags {
		add(GapTag, tag)
	}
}

// rankGaps lists the gaps with tickets answered without an article, the most such first (ties:
// the most answered, then topics before tags, then by key), at most HandbookGapCount.
func rankGaps(gaps map[[2]string]*HandbookGap) []*HandbookGap {
	var list []*HandbookGap
	for _, g := range gaps {
		if g.WithoutArticle > 0 {
			if g.Kind == GapTopic {
				g.Name = TopicName(g.Key)
			}
			list = append(list, g)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.WithoutArticle != b.WithoutArticle {
			return a.WithoutArticle > b.WithoutArticle
		}
		if a.Answered != b.Answered {
			return a.Answered > b.Answered
		}
		if a.Kind != b.Kind {
			return a.Kind == GapTopic
		}
		return a.Key < b.Key
	})
	return list[:min(len(list), HandbookGapCount)]
}

// AddFeedback counts a requester's answer given at at, under the agency the ticket had then.
func (b *ReportBuilder) AddFeedback(at time.Time, agency string, useful bool) {
	if at.Before(b.r.From) || !at.Before(b.r.To) {
		return
	}
	n := b.r.Feedback.ByAgency[agency]
	if n == nil {
		n = &FeedbackCount{}
		b.r.Feedback.ByAgency[agency] = n
	}
	if useful {
		b.r.Feedback.Useful++
		n.Useful++
	} else {
		b.r.Feedback.NotUseful++
		n.NotUseful++
	}
}

// AddSelfHelp counts a question the article slug (titled title) answered at at.
func (b *ReportBuilder) AddSelfHelp(at time.Time, slug, title string) {
	if at.Before(b.r.From) || !at.Before(b.r.To) {
		return
	}
	b.r.SelfHelp.Total++
	a := b.articles[slug]
	if a == nil {
		a = &ArticleCount{Slug: slug, Title: title}
		b.articles[slug] = a
	}
	a.Count++
}

// sortArticles puts the articles that answered the most questions first, ties by title.
func sortArticles(list []*ArticleCount) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Title < list[j].Title
	})
}
