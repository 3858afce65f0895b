package web

import (
	"bytes"
	"html"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Articles are Markdown, written by staff and read by everyone. goldmark (CommonMark, with
// tables and autolinks) renders them and leaves raw HTML out; bluemonday then keeps only the
// elements and attributes of text (headings, lists, links, tables, emphasis, code), links only
// to http, https and mailto, with rel="nofollow noopener". Either alone would do; both, so a
// mistake in one is not enough.
var (
	articleMarkdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Linkify, extension.Strikethrough))
	articlePolicy   = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		p.AllowImages() // as UGC allows, with http(s) sources; the CSP still allows only our own
		return p
	}()
)

// articleHTML renders an article's Markdown as safe HTML. A text goldmark cannot render (it
// renders every input) would show as plain, escaped text.
func articleHTML(markdown string) template.HTML {
	var buf bytes.Buffer
	if err := articleMarkdown.Convert([]byte(markdown), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(markdown))
	}
	return template.HTML(articlePolicy.SanitizeBytes(buf.Bytes())) // sanitised just above
}

// plainPolicy keeps no element at all: the text of rendered Markdown.
var plainPolicy = bluemonday.StrictPolicy()

// articleExcerpt is the start of an article as plain text, for lists and suggestions.
func articleExcerpt(markdown string, n int) string {
	var buf bytes.Buffer
	if err := articleMarkdown.Convert([]byte(markdown), &buf); err != nil {
		return cutRunes(markdown, n)
	}
	text := html.UnescapeString(plainPolicy.Sanitize(strings.ReplaceAll(buf.String(), "<", " <")))
	return cutRunes(text, n)
}
