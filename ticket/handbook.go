package ticket

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The handbook (issue 16): articles for the municipalities, public to read, edited by staff in
// versions, suggested for questions by the same text likeness as similar tickets.

// EventHandbook records a change to the handbook (TicketID 0; To is the article's slug).
const EventHandbook EventKind = "handbook"

// Limits of an article.
const (
	MaxArticleTitle = 160
	MaxArticleText  = 100_000
	MaxArticleTags  = 20
)

// Article is one page of the handbook. Its text is Markdown (headings, lists, links), turned
// into safe HTML only when shown.
type Article struct {
	// Slug names the article in its address, /handbok/{slug}: lower-case letters, digits and -.
	Slug  string
	Title string
	Text  string
	Tags  []string
	// Agencies are the keys of the agencies the article concerns (nav, skatteetaten, …).
	Agencies  []string
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
	Deleted   bool
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// reservedSlugs are the handbook's own pages (/handbok/ny, /handbok/forslag): an article there
// could not be reached.
var reservedSlugs = []string{"ny", "forslag"}

// MakeSlug makes an article's address from its title: «Logge inn med MinID» is
// logge-inn-med-minid; æ, ø and å become ae, o and a.
func MakeSlug(title string) string {
	s := strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", "é", "e", "á", "a", "ü", "u", "ö", "o", "ä", "a").Replace(strings.ToLower(title))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Normalize trims the texts, makes a slug from the title when there is none, and lower-cases
// the tags and agencies, without repeats.
func (a *Article) Normalize() {
	a.Title, a.Text = strings.TrimSpace(a.Title), strings.TrimSpace(strings.ReplaceAll(a.Text, "\r\n", "\n"))
	a.Slug = strings.TrimSpace(a.Slug)
	if a.Slug == "" {
		a.Slug = MakeSlug(a.Title)
	}
	a.Tags, a.Agencies = cleanList(a.Tags), cleanList(a.Agencies)
}

func cleanList(list []string) []string {
	var out []string
	for _, s := range list {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

var articleTagPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$`)

// Validate checks an article before it is saved; the fields are the edit form's (tittel,
// adresse, tekst, stikkord). known says which agency keys exist (nil: any).
func (a *Article) Validate(known func(agency string) bool) error {
	var errs FieldErrors
	switch n := utf8.RuneCountInString(a.Title); {
	case n == 0:
		errs = append(errs, FieldError("tittel", "Gi artikkelen en tittel."))
	case n > MaxArticleTitle:
		errs = append(errs, FieldError("tittel", "Tittelen kan være høyst %d tegn.", MaxArticleTitle))
	}
	switch {
	case !slugPattern.MatchString(a.Slug) || len(a.Slug) > 80:
		errs = append(errs, FieldError("adresse", "Adressen kan bare ha små bokstaver a–z, sifre og bindestrek, som «logge-inn-med-minid» (høyst 80 tegn)."))
	case slices.Contains(reservedSlugs, a.Slug):
		errs = append(errs, FieldError("adresse", "Adressen «%s» er i bruk av håndboken selv. Velg en annen.", a.Slug))
	}
	switch n := utf8.RuneCountInString(a.Text); {
	case n == 0:
		errs = append(errs, FieldError("tekst", "Skriv teksten i artikkelen."))
	case n > MaxArticleText:
		errs = append(errs, FieldError("tekst", "Teksten kan være høyst %d tegn.", MaxArticleText))
	}
	if len(a.Tags) > MaxArticleTags {
		errs = append(errs, FieldError("stikkord", "En artikkel kan ha høyst %d stikkord.", MaxArticleTags))
	}
	for _, t := range a.Tags {
		if !articleTagPattern.MatchString(t) {
			errs = append(errs, FieldError("stikkord", "Stikkordet «%s» kan bare ha bokstaver, sifre, - og _ (høyst 40 tegn, uten mellomrom).", t))
			break
		}
	}
	for _, ag := range a.Agencies {
		if known != nil && !known(ag) {
			errs = append(errs, FieldError("etater", "Ukjent etat «%s».", ag))
			break
		}
	}
	return errs.Err()
}

// SameContent reports whether a says what b says (versions and stamps aside).
func (a *Article) SameContent(b *Article) bool {
	return a.Title == b.Title && a.Text == b.Text && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Agencies, b.Agencies) && a.Deleted == b.Deleted
}

// ArticleMatch is an article suggested for a question, with how alike they are.
type ArticleMatch struct {
	Article *Article
	Score   float64
}

// HandbookImport is what an import of many articles did.
type HandbookImport struct {
	Created, Changed, Unchanged int
}

// HandbookService stores the handbook. data.HandbookService implements it; every change is a
// new version and an EventHandbook in the same transaction.
type HandbookService interface {
	// FindArticle returns the current version of slug; ENOTFOUND when there is none or it was
	// deleted.
	FindArticle(ctx context.Context, slug string) (*Article, error)
	// FindArticles returns every article that exists, by title as Norwegians sort.
	FindArticles(ctx context.Context) ([]*Article, error)
	// FindArticleVersions returns every version of slug, newest first.
	FindArticleVersions(ctx context.Context, slug string) ([]*Article, error)
	// CreateArticle stores a new article as its first version (after a deleted one of the
	// same slug, as its next); ECONFLICT-like field error on the slug when it is taken.
	CreateArticle(ctx context.Context, a *Article) error
	// SaveArticle stores a as the next version of a.Slug unless it changed since ifVersion.
	SaveArticle(ctx context.Context, a *Article, ifVersion int) error
	// DeleteArticle records the deletion of slug as its next version.
	DeleteArticle(ctx context.Context, slug string, ifVersion int) error
	// ImportArticles creates or saves every article that differs, in one transaction.
	ImportArticles(ctx context.Context, list []*Article) (HandbookImport, error)
	// SuggestArticles ranks the articles by their likeness to text, best first; only those
	// alike enough are returned.
	SuggestArticles(ctx context.Context, text string, limit int) ([]ArticleMatch, error)
	// RecordSelfHelp counts a question that an article answered before it was sent (the
	// public form's «Kanskje dette svarer på spørsmålet?»): slug is the article.
	RecordSelfHelp(ctx context.Context, slug string) error
	// SelfHelpCounts counts those in [from, to): in all, and by article slug.
	SelfHelpCounts(ctx context.Context, from, to time.Time) (int, map[string]int, error)
}
