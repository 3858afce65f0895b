package mailbridge

import (
	"bytes"
	"mime"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// part is one MIME entity: its header, its media type with parameters, and its body still in
// its transfer encoding.
type part struct {
	header    header
	mediaType string
	params    map[string]string
	body      []byte
}

func newPart(h header, body []byte) *part {
	p := &part{header: h, body: body}
	p.mediaType, p.params = contentType(h, body)
	return p
}

// contentType reads Content-Type leniently. With several Content-Type fields (it happens), a
// multipart one whose boundary is in the body wins, else the first. Without one, or when it
// cannot be read at all, the part is text/plain (RFC 2045).
func contentType(h header, body []byte) (string, map[string]string) {
	values := h.values("Content-Type")
	if len(values) == 0 {
		return "text/plain", map[string]string{}
	}
	mt, params := parseMediaType(string(latin1OrUTF8(values[0])))
	for _, v := range values[1:] {
		t, p := parseMediaType(string(latin1OrUTF8(v)))
		if strings.HasPrefix(t, "multipart/") && p["boundary"] != "" && bytes.Contains(body, []byte("--"+p["boundary"])) {
			mt, params = t, p
		}
	}
	if mt == "" || !strings.Contains(mt, "/") {
		mt = "text/plain"
	}
	return mt, params
}

var paramPattern = regexp.MustCompile(`(?i)([a-z0-9_.*-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]*)`)

// parseMediaType parses "type/subtype; name=value; ..." with the standard library, and when
// that refuses (duplicate or broken parameters, stray characters), pattern by pattern.
func parseMediaType(v string) (string, map[string]string) {
	head, rest, _ := strings.Cut(v, ";")
	mt, params, err := mime.ParseMediaType(v)
	if err == nil {
		mt = strings.ToLower(mt)
	} else {
		mt = strings.ToLower(strings.TrimSpace(head))
		if i := strings.IndexAny(mt, " \t"); i >= 0 {
			mt = mt[:i]
		}
		params = map[string]string{}
	}
	// The pattern also finds what the standard library drops: RFC 2231 values in a charset
	// other than UTF-8 (filename*=iso-8859-1''s%F8knad.docx).
	for _, m := range paramPattern.FindAllStringSubmatch(rest, -1) {
		name, value := strings.ToLower(m[1]), m[2]
		if strings.HasPrefix(value, `"`) {
			value = strings.ReplaceAll(m[3], `\"`, `"`)
		}
		if _, dup := params[name]; !dup {
			params[name] = value
		}
	}
	return mt, params
}

// disposition returns "attachment", "inline" or "" (not given).
func (p *part) disposition() string {
	v := p.header.raw("Content-Disposition")
	if len(v) == 0 {
		return ""
	}
	d, _ := parseMediaType(string(v))
	if d == "attachment" || d == "inline" {
		return d
	}
	return "attachment" // an unknown disposition is treated as an attachment (RFC 2183)
}

// filename returns the file name of the part, decoded (RFC 2231 and, as Outlook sends them,
// RFC 2047 words in quotes), without any folder, or "".
func (p *part) filename() string {
	name := ""
	if v := p.header.raw("Content-Disposition"); len(v) > 0 {
		_, params := parseMediaType(string(latin1OrUTF8(v)))
		name = paramValue(params, "filename")
	}
	if name == "" {
		name = paramValue(p.params, "name")
	}
	name = decodeText([]byte(name))
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	if name == "." || name == "/" {
		return ""
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return strings.ToValidUTF8(name, "")
}

// paramValue returns a parameter, also in the RFC 2231 forms the standard library leaves alone
// (a charset other than UTF-8, or continuations it could not join).
func paramValue(params map[string]string, name string) string {
	if v := params[name]; v != "" {
		return v
	}
	if v := params[name+"*"]; v != "" {
		return decode2231(v)
	}
	var joined strings.Builder
	for i := 0; ; i++ {
		v, ok := params[name+"*"+strconv.Itoa(i)]
		if !ok {
			v, ok = params[name+"*"+strconv.Itoa(i)+"*"]
			if ok {
				v = decode2231(v)
			}
		}
		if !ok {
			break
		}
		joined.WriteString(v)
	}
	return joined.String()
}

// decode2231 decodes charset'lang'percent-encoded text.
func decode2231(v string) string {
	parts := strings.SplitN(v, "'", 3)
	if len(parts) != 3 {
		return v
	}
	return toUTF8(appendUnescaped(nil, []byte(parts[2]), '%'), parts[0])
}

// appendUnescaped appends s to dst with every esc and two hex digits (=C3, %F8) replaced by
// that byte; an esc without them stays as it is.
func appendUnescaped(dst, s []byte, esc byte) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == esc && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

// contentID returns the Content-ID without angle brackets.
func (p *part) contentID() string {
	return strings.Trim(string(bytes.TrimSpace(p.header.raw("Content-ID"))), "<>")
}

// decoded returns the body with its transfer encoding undone. Unknown encodings are taken as
// they are: showing something beats showing nothing.
func (p *part) decoded() []byte {
	switch p.transferEncoding() {
	case "base64":
		return decodeBase64(p.body)
	case "quoted-printable":
		return decodeQP(p.body)
	}
	return p.body
}

// transferEncoding is the part's Content-Transfer-Encoding, in lower case.
func (p *part) transferEncoding() string {
	return strings.ToLower(strings.TrimSpace(string(p.header.raw("Content-Transfer-Encoding"))))
}

// decodeQP undoes quoted-printable leniently: soft line breaks, =XX in either case, and a lone
// "=" kept as it is; trailing space before a line end is dropped, as RFC 2045 says. A line
// break stays as it came (CRLF, the canonical form, or LF), so a file keeps its bytes.
func decodeQP(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for len(in) > 0 {
		line, rest, nl := cutLine(in)
		crlf := bytes.HasSuffix(line, []byte("\r"))
		line = bytes.TrimRight(line, "\r")
		soft := false
		if bytes.HasSuffix(bytes.TrimRight(line, " \t"), []byte("=")) {
			line, soft = bytes.TrimRight(line, " \t"), true
			line = line[:len(line)-1]
		} else {
			line = bytes.TrimRight(line, " \t")
		}
		out = appendUnescaped(out, line, '=')
		if nl && !soft && crlf {
			out = append(out, '\r', '\n')
		} else if nl && !soft {
			out = append(out, '\n')
		}
		in = rest
	}
	return out
}
