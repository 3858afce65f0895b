package mailbridge

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText renders HTML as readable plain text: paragraphs and line breaks kept, lists as
// "- ", links as "text (address)", quoted parts (blockquote) as "> " lines so quoted history is
// recognised as in plain text mail, and nothing of head, style or script.
func htmlToText(s string) string {
	r := &textRenderer{}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return r.result()
		case html.TextToken:
			if r.skip == 0 {
				r.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			r.start(atom.Lookup(name), z, hasAttr, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			r.end(atom.Lookup(name))
		}
	}
}

type textRenderer struct {
	out   bytes.Buffer
	line  bytes.Buffer
	quote int
	pre   int
	skip  int
	href  []string
	space bool
	// blank is set when a block held only white space (Outlook's <p>&nbsp;</p>): a blank line.
	blank bool
}

func (r *textRenderer) start(a atom.Atom, z *html.Tokenizer, hasAttr, selfClosing bool) {
	attrs := map[string]string{}
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		attrs[string(k)] = string(v)
	}
	switch a {
	case atom.Head, atom.Style, atom.Script, atom.Title, atom.Noscript, atom.Template, atom.Svg:
		if !selfClosing {
			r.skip++
		}
	case atom.Br:
		r.newline()
	case atom.Hr:
		r.block()
		r.line.WriteString("________________________________")
		r.block()
	case atom.Blockquote:
		r.block()
		r.quote++
	case atom.Pre:
		r.block()
		r.pre++
	case atom.Li:
		r.block()
		r.line.WriteString("- ")
	case atom.Td, atom.Th:
		r.space = true
	case atom.A:
		r.href = append(r.href, attrs["href"])
	case atom.Img:
		if alt := strings.TrimSpace(attrs["alt"]); alt != "" && r.skip == 0 {
			r.text("[" + alt + "]")
		}
	default:
		if isBlock(a) {
			r.block()
		}
	}
}

func (r *textRenderer) end(a atom.Atom) {
	switch a {
	case atom.Head, atom.Style, atom.Script, atom.Title, atom.Noscript, atom.Template, atom.Svg:
		r.skip = max(r.skip-1, 0)
	case atom.Blockquote:
		r.block()
		r.quote = max(r.quote-1, 0)
	case atom.Pre:
		r.block()
		r.pre = max(r.pre-1, 0)
	case atom.A:
		if n := len(r.href); n > 0 {
			href := r.href[n-1]
			r.href = r.href[:n-1]
			if (strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) && r.line.Len() < 4096 && !bytes.Contains(r.line.Bytes(), []byte(href)) {
				r.text(" (" + href + ")")
			}
		}
	default:
		if isBlock(a) {
			r.block()
		}
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Table,
		atom.Tr, atom.Dl, atom.Dt, atom.Dd, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Address,
		atom.Center, atom.Form, atom.Fieldset, atom.Figure, atom.Main, atom.Nav, atom.Aside, atom.Caption:
		return true
	}
	return false
}

func (r *textRenderer) text(s string) {
	if r.pre > 0 {
		for i, l := range strings.Split(s, "\n") {
			if i > 0 {
				r.newline()
			}
			r.line.WriteString(l)
		}
		return
	}
	fields := strings.FieldsFunc(s, isHTMLSpace)
	if len(fields) == 0 && r.line.Len() == 0 && strings.ContainsRune(s, 0xA0) {
		r.blank = true
	}
	if first, _ := utf8.DecodeRuneInString(s); isHTMLSpace(first) {
		r.space = true
	}
	for i, f := range fields {
		// a space only where the source had white space: "sendt <b>meldekort</b>." stays together
		if (i > 0 || r.space) && r.line.Len() > 0 && !bytes.HasSuffix(r.line.Bytes(), []byte(" ")) {
			r.line.WriteByte(' ')
		}
		r.line.WriteString(f)
		r.space, r.blank = false, false
	}
	if last, _ := utf8.DecodeLastRuneInString(s); isHTMLSpace(last) {
		r.space = true
	}
}

func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == 0xA0
}

// newline ends the current line.
func (r *textRenderer) newline() {
	if r.quote > 0 {
		r.out.WriteString(strings.Repeat("> ", min(r.quote, 8))) // deeper quotes add nothing to read
	}
	r.out.Write(bytes.TrimRight(r.line.Bytes(), " "))
	r.out.WriteByte('\n')
	r.line.Reset()
	r.space, r.blank = false, false
}

// block ends the current line, if any, so the next text starts on a line of its own.
func (r *textRenderer) block() {
	if r.line.Len() > 0 || r.blank {
		r.newline()
	}
}

func (r *textRenderer) result() string {
	r.block()
	lines := strings.Split(r.out.String(), "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if strings.TrimSpace(strings.Trim(l, ">")) == "" {
			blank++
			if blank > 1 {
				continue
			}
			l = strings.TrimRight(l, "> ")
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
