package mailbridge

import (
	"bytes"
	"strings"
)

// header is a mail or MIME part header as it was sent: names in their case, values unfolded but
// not decoded. Reading is lenient, because real mail breaks the rules: a continuation line that
// lost its leading space joins the field before it, 8-bit bytes are kept for decodeText.
type header struct {
	fields []field
}

type field struct {
	name  string
	value []byte
}

// maxHeaderFields bounds a header, so a mail of a million short lines cannot exhaust memory.
const maxHeaderFields = 2000

// splitMessage returns the header and the body of a mail (top) or a MIME part. A mail may start
// with blank lines and an mbox "From " line, which are skipped; a part that starts with an empty
// line has an empty header.
func splitMessage(b []byte, top bool) (header, []byte) {
	for top {
		line, rest, ok := cutLine(b)
		if !ok || (len(bytes.TrimSpace(line)) > 0 && !bytes.HasPrefix(line, []byte("From "))) {
			break
		}
		b = rest
	}
	var h header
	if first := firstLine(b); len(first) > 0 && !isFieldLine(bytes.TrimLeft(first, " \t")) {
		return h, b // no header at all: everything is body
	}
	for len(b) > 0 {
		line, rest, _ := cutLine(b)
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			return h, rest
		}
		b = rest
		h.addLine(line)
	}
	return h, nil
}

func firstLine(b []byte) []byte {
	line, _, _ := cutLine(b)
	return bytes.TrimRight(line, "\r")
}

// cutLine returns the line up to (not including) "\n", the rest after it, and whether a "\n"
// was found.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

func (h *header) addLine(line []byte) {
	if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
		if len(h.fields) > 0 {
			f := &h.fields[len(h.fields)-1]
			f.value = append(f.value, line...)
			return
		}
		line = bytes.TrimLeft(line, " \t") // a first line that starts with space (seen in the wild)
	}
	if isFieldLine(line) {
		if len(h.fields) >= maxHeaderFields {
			return
		}
		i := bytes.IndexByte(line, ':')
		h.fields = append(h.fields, field{name: string(bytes.TrimSpace(line[:i])), value: append([]byte(nil), line[i+1:]...)})
		return
	}
	if len(h.fields) > 0 { // a folded line that lost its leading space
		f := &h.fields[len(h.fields)-1]
		f.value = append(append(f.value, ' '), line...)
	}
}

// isFieldLine reports whether line starts with a field name and a colon.
func isFieldLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 || i > 76 {
		return false
	}
	for _, c := range bytes.TrimRight(line[:i], " \t") {
		if c <= ' ' || c >= 127 {
			return false
		}
	}
	return true
}

// raw returns the first value of the named field, unfolded and trimmed, as bytes.
func (h header) raw(name string) []byte {
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			return bytes.TrimSpace(f.value)
		}
	}
	return nil
}

// has reports whether the field is present (even empty).
func (h header) has(name string) bool {
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// get returns the first value of the named field, decoded to UTF-8 (encoded words and 8-bit
// bytes), with whitespace runs collapsed.
func (h header) get(name string) string {
	return decodeText(h.raw(name))
}

// values returns every value of the named field, raw.
func (h header) values(name string) [][]byte {
	var out [][]byte
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			out = append(out, bytes.TrimSpace(f.value))
		}
	}
	return out
}

// len is the number of fields.
func (h header) len() int { return len(h.fields) }
