package compose

import (
	"html"
	"regexp"
	"strings"
)

// TextToHTML renders the text of an outgoing mail as a simple HTML part: paragraphs, line
// breaks, quoted lines ("> ...") as a blockquote, and web addresses as links. Everything else
// is escaped, so staff text can never inject markup into a mail.
func TextToHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="nb"><head><meta charset="utf-8"></head>` +
		`<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #1b1f24">`)
	for _, block := range splitBlocks(strings.ReplaceAll(text, "\r\n", "\n")) {
		if block.quoted {
			b.WriteString(`<blockquote style="margin: 0 0 1em; padding-left: 1em; border-left: 3px solid #c9d0d6; color: #4a535d">`)
			b.WriteString(TextToHTMLFragment(block.text))
			b.WriteString("</blockquote>")
			continue
		}
		b.WriteString(TextToHTMLFragment(block.text))
	}
	b.WriteString("</body></html>")
	return b.String()
}

// TextToHTMLFragment renders plain text as escaped paragraphs with links, without a document
// around it.
func TextToHTMLFragment(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString(`<p style="margin: 0 0 1em">`)
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			b.WriteString(linkify(line))
		}
		b.WriteString("</p>\n")
	}
	return b.String()
}

type textBlock struct {
	text   string
	quoted bool
}

// splitBlocks cuts text into runs of quoted ("> ") and unquoted lines.
func splitBlocks(text string) []textBlock {
	var blocks []textBlock
	for _, line := range strings.Split(text, "\n") {
		quoted := strings.HasPrefix(line, ">")
		if quoted {
			line = strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")
		}
		if n := len(blocks); n > 0 && blocks[n-1].quoted == quoted {
			blocks[n-1].text += "\n" + line
			continue
		}
		blocks = append(blocks, textBlock{text: line, quoted: quoted})
	}
	return blocks
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]]`)

// linkify escapes line and turns web addresses in it into links.
func linkify(line string) string {
	var b strings.Builder
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(line, -1) {
		b.WriteString(html.EscapeString(line[last:loc[0]]))
		u := html.EscapeString(line[loc[0]:loc[1]])
		b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = loc[1]
	}
	b.WriteString(html.EscapeString(line[last:]))
	return b.String()
}
