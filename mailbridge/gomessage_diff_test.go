package mailbridge

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// difference is one way two views of a mail differ: its aspect (read, subject, from, from
// name, to, cc, date, message-id, tree, name, disp, cid, bytes, text) and what it is.
type difference struct{ aspect, detail string }

// viewDiff lists how go-message's view of a mail differs from ours.
func viewDiff(ours, theirs mimeView) []difference {
	if ours.NoMail != theirs.NoMail {
		return []difference{{"read", "read as a mail: ours " + yesNo(!ours.NoMail) + ", go-message " + yesNo(!theirs.NoMail)}}
	}
	var d []difference
	for _, f := range []struct{ aspect, a, b string }{
		{"subject", ours.Subject, theirs.Subject}, {"from name", ours.FromName, theirs.FromName}, {"from", ours.FromAddr, theirs.FromAddr},
		{"to", ours.To, theirs.To}, {"cc", ours.Cc, theirs.Cc}, {"date", ours.Date, theirs.Date}, {"message-id", ours.MessageID, theirs.MessageID},
	} {
		if f.a != f.b {
			d = append(d, difference{f.aspect, "ours " + quoteView(f.a) + ", go-message " + quoteView(f.b)})
		}
	}
	if len(ours.Leaves) != len(theirs.Leaves) {
		d = append(d, difference{"tree", "ours " + strconv.Itoa(len(ours.Leaves)) + " parts, go-message " + strconv.Itoa(len(theirs.Leaves))})
	}
	for i := range max(len(ours.Leaves), len(theirs.Leaves)) {
		if i >= len(ours.Leaves) || i >= len(theirs.Leaves) {
			break
		}
		a, b := ours.Leaves[i], theirs.Leaves[i]
		detail := "\n    ours:       " + a.String() + "\n    go-message: " + b.String()
		switch {
		case a.Path != b.Path || a.Type != b.Type || a.Params != b.Params:
			d = append(d, difference{"tree", detail})
			continue
		case a.Name != b.Name:
			d = append(d, difference{"name", detail})
		case a.Disp != b.Disp:
			d = append(d, difference{"disp", detail})
		case a.CID != b.CID:
			d = append(d, difference{"cid", detail})
		}
		isFile := !isBodyText(a.Type) || a.Name != "" || a.Disp == "attachment"
		if isFile && (a.Size != b.Size || a.SHA != b.SHA) {
			d = append(d, difference{"bytes", detail})
		}
		if a.Text != b.Text { // the text of a mail is compared as text, after its charset
			d = append(d, difference{"text", detail + "\n    " + textDiff(a.Text, b.Text)})
		}
	}
	return d
}

func aspects(d []difference) []string {
	var out []string
	for _, x := range d {
		if !slices.Contains(out, x.aspect) {
			out = append(out, x.aspect)
		}
	}
	slices.Sort(out)
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func quoteView(s string) string {
	q := strconv.Quote(strings.ToValidUTF8(s, "\uFFFD"))
	if !utf8.ValidString(s) {
		return "(invalid UTF-8) " + q
	}
	return q
}

// textDiff shows where two texts part.
func textDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-20)
	for from > 0 && from < len(a) && !utf8.RuneStart(a[from]) {
		from--
	}
	cut := func(s string) string {
		if from > len(s) {
			return `""`
		}
		return quoteView(s[from:min(len(s), i+40)])
	}
	return "texts part at byte " + strconv.Itoa(i) + ": ours " + cut(a) + " (" + strconv.Itoa(len(a)) + " B), go-message " + cut(b) + " (" + strconv.Itoa(len(b)) + " B)"
}
