package mailbridge

import (
	"bytes"
	"regexp"
)

// splitMultipart returns the bodies of the parts of a multipart body and the preamble before
// the first, leniently: a missing closing delimiter ends the last part at the end of the body,
// trailing space after a delimiter is allowed, and a delimiter counts only when nothing but
// "--" follows the boundary (so a boundary that starts another one is not mistaken for it).
// ok is false when the boundary never occurs.
func splitMultipart(body []byte, boundary string) (parts [][]byte, preamble []byte, ok bool) {
	if boundary == "" {
		return nil, nil, false
	}
	delim := []byte("--" + boundary)
	start, inPart := 0, false
	for pos := 0; pos < len(body); {
		line, _, hasNL := cutLine(body[pos:])
		next := pos + len(line) + 1
		if !hasNL {
			next = len(body)
		}
		if trimmed := bytes.Trim(line, " \t\r"); bytes.HasPrefix(trimmed, delim) { // Outlook once indented one
			tail := trimmed[len(delim):]
			closing := bytes.Equal(tail, []byte("--"))
			if len(tail) == 0 || closing {
				if !ok {
					preamble = body[:contentEnd(body, 0, pos)]
				}
				ok = true
				if inPart {
					parts = append(parts, body[start:contentEnd(body, start, pos)])
				}
				if closing {
					return parts, preamble, true
				}
				start, inPart = next, true
			}
		}
		pos = next
	}
	if inPart {
		parts = append(parts, body[start:])
	}
	return parts, preamble, ok
}

// contentEnd is where a part's content ends: before the line break that precedes its
// delimiter line at pos (that line break belongs to the delimiter).
func contentEnd(body []byte, start, pos int) int {
	end := pos
	if end > start && body[end-1] == '\n' {
		end--
		if end > start && body[end-1] == '\r' {
			end--
		}
	}
	return end
}

var boundaryLine = regexp.MustCompile(`(?m)^--([^\s]{1,200}?)(--)?[ \t]*\r?$`)

// guessBoundary finds the boundary a multipart body really uses when the declared one never
// occurs (a broken mailer): the first "--token" line that occurs twice, or that a header line
// follows.
func guessBoundary(body []byte) string {
	seen := map[string]int{}
	for _, idx := range boundaryLine.FindAllSubmatchIndex(body, 200) {
		token := body[idx[2]:idx[3]]
		if len(bytes.Trim(token, "-")) == 0 {
			continue // a line of dashes is a separator in text, not a boundary
		}
		closing := idx[4] >= 0
		_, rest, _ := cutLine(body[idx[0]:])
		seen[string(token)]++
		if seen[string(token)] >= 2 || closing || isFieldLine(firstLine(rest)) {
			return string(token)
		}
	}
	return ""
}
