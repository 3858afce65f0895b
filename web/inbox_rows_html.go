package web

import (
	"html/template"
	"strconv"
	"strings"
)

// rowsHTML writes the inbox's table rows. html/template calls an escaper by reflection for
// every value it prints: 50 rows of a dozen values each were a third of what an inbox page
// cost at a million tickets. Every value here is text or a quoted attribute value, escaped as
// html/template escapes them, and the list a query value (TestInboxRowsHTMLLikeTemplate
// holds the two byte for byte, hostile values included).
func rowsHTML(rows []inboxRow, bulk bool, list string) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 1024)
	esc := func(s string) { htmlEscaper.WriteString(&b, s) }
	list = urlEscape(list, false)
	for _, r := range rows {
		id := strconv.FormatUint(r.ID, 10)
		b.WriteString("\n    <tr")
		if r.Marker != "" {
			b.WriteString(` class="unread"`)
		}
		b.WriteString(` data-id="` + id + `">` + "\n      ")
		if bulk {
			b.WriteString(`<td class="pick"><input type="checkbox" name="sak" value="`)
			esc(r.Pick)
			b.WriteString(`" id="velg-` + id + `"><label for="velg-` + id + `"><span class="visually-hidden">Velg `)
			esc(r.Ref)
			b.WriteString(`</span></label></td>`)
		}
		b.WriteString("\n      " + `<td class="ref-cell"><a href="/saker/`)
		esc(urlEscape(r.Ref, true))
		if list != "" {
			b.WriteString("?liste=" + list)
		}
		b.WriteString(`">`)
		esc(r.Ref)
		b.WriteString(`</a>`)
		if r.Marker != "" {
			b.WriteString(` <span class="marker marker-`)
			esc(string(r.Marker))
			b.WriteString(`">`)
			esc(r.MarkerLabel)
			b.WriteString(`<span class="visually-hidden"> siden du åpnet saken sist</span></span>`)
		}
		b.WriteString("</td>\n      " + `<td class="subject-cell"><span class="subject">`)
		esc(r.Subject)
		b.WriteString(`</span>`)
		if r.Overdue != "" {
			b.WriteString(` <span class="badge overdue" title="`)
			esc(r.Overdue)
			b.WriteString(`">Forfalt</span>`)
		}
		if r.High {
			b.WriteString(` <span class="badge priority-high">Høy prioritet</span>`)
		}
		b.WriteString("\n        ")
		if r.LatestLabel != "" {
			b.WriteString(`<p class="latest"><span class="latest-label">`)
			esc(r.LatestLabel)
			b.WriteString(`:</span> `)
			esc(r.LatestText)
			b.WriteString(`</p>`)
		}
		b.WriteString("</td>\n      " + `<td data-label="Innsender">`)
		esc(r.Requester)
		b.WriteString("</td>\n      " + `<td data-label="Kommune">`)
		esc(r.Municipality)
		b.WriteString("</td>\n      " + `<td data-label="Etat">`)
		esc(r.Agency)
		b.WriteString("</td>\n      " + `<td data-label="Tildelt">`)
		if r.Assignee != "" {
			esc(r.Assignee)
		} else {
			b.WriteString(`<span class="muted">Ingen</span>`)
		}
		b.WriteString("</td>\n      " + `<td data-label="Status"><span class="badge `)
		esc(r.StatusCSS)
		b.WriteString(`">`)
		esc(r.StatusLabel)
		b.WriteString("</span></td>\n      " + `<td data-label="Oppdatert"><time datetime="`)
		esc(r.UpdatedISO)
		b.WriteString(`">`)
		esc(r.Updated)
		b.WriteString("</time></td>\n    </tr>\n  ")
	}
	return template.HTML(b.String()) // every value above is escaped
}

// htmlEscaper escapes text and quoted attribute values as html/template does.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// urlEscape escapes s as html/template escapes a part of a URL: every byte but letters, digits
// and -._~ as %xx, except, when it normalises a path (norm), the bytes a URL reserves and %.
func urlEscape(s string, norm bool) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) * 3 / 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0,
			norm && strings.IndexByte("!#$&*+,/:;=?@[]%", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteString("%")
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
