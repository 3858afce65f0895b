package ticket

import (
	"regexp"
	"sort"
	"strings"
)

// Placeholders are the words in braces that admin-edited texts (the acknowledgement and canned
// responses) may use, with what each is replaced by. They are Norwegian, so admins can read
// them, and plain, so a text can never fail to render.
var Placeholders = map[string]string{
	"navn":          "innsenderens navn (tomt når det mangler)",
	"saksnummer":    "saksnummeret, for eksempel DH-2026-0042",
	"emne":          "emnet på saken",
	"statuslenke":   "den private lenken der innsenderen følger saken",
	"kommune":       "innsenderens kommune (tomt når den ikke er kjent)",
	"saksbehandler": "navnet ditt (i svarmaler; tomt i kvitteringen)",
	"etat":          "etaten saken hører til nå, for eksempel NAV eller KS",
}

// PlaceholderNames lists the placeholders in braces, sorted, for help texts.
func PlaceholderNames() []string {
	var names []string
	for k := range Placeholders {
		names = append(names, "{"+k+"}")
	}
	sort.Strings(names)
	return names
}

var placeholderPattern = regexp.MustCompile(`\{([\p{L}_]+)\}`)

// checkPlaceholders returns a field error naming the first unknown placeholder in text, or nil.
func checkPlaceholders(field, text string) *Error {
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		if _, ok := Placeholders[strings.ToLower(m[1])]; !ok {
			return FieldError(field, "Ukjent plassholder «%s». Du kan bruke %s.", m[0], strings.Join(PlaceholderNames(), ", "))
		}
	}
	return nil
}

// PlaceholderValues are what the placeholders of a text stand for, for one ticket.
type PlaceholderValues struct {
	Name, Ref, Subject, StatusLink, Municipality, Agent, Agency string
}

// Render replaces the placeholders of text. An empty value also takes the space before it, so
// "Hei {navn}," reads "Hei," when the name is unknown. Unknown placeholders stay as they are.
func (v PlaceholderValues) Render(text string) string {
	values := map[string]string{"navn": v.Name, "saksnummer": v.Ref, "emne": v.Subject,
		"statuslenke": v.StatusLink, "kommune": v.Municipality, "saksbehandler": v.Agent, "etat": v.Agency}
	var b strings.Builder
	last := 0
	for _, loc := range placeholderPattern.FindAllStringSubmatchIndex(text, -1) {
		val, ok := values[strings.ToLower(text[loc[2]:loc[3]])]
		if !ok {
			continue
		}
		before := text[last:loc[0]]
		if val == "" {
			before = strings.TrimSuffix(before, " ")
		}
		b.WriteString(before)
		b.WriteString(val)
		last = loc[1]
	}
	b.WriteString(text[last:])
	return b.String()
}
