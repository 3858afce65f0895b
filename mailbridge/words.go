package mailbridge

import (
	"encoding/base64"
	"regexp"
	"strings"
	"unicode"
)

// encodedWord matches an RFC 2047 encoded word. The text part may hold '?' in the wild only in Q
// encoding; it cannot hold whitespace.
var encodedWord = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^\s]*?)\?=`)

// decodeText turns a raw header value into clean UTF-8 text: 8-bit bytes (UTF-8 or Latin-1),
// RFC 2047 encoded words in any charset (adjacent words joined before decoding, so a character
// split across two words survives; unknown charsets fall back like bodies do), control
// characters removed and whitespace runs collapsed. It never fails.
func decodeText(raw []byte) string {
	s := string(latin1OrUTF8(raw))
	if strings.Contains(s, "=?") {
		s = decodeWords(s)
	}
	return collapseSpace(s)
}

// decodeWords replaces the encoded words in s.
func decodeWords(s string) string {
	matches := encodedWord.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s
	}
	var out strings.Builder
	var pending []byte // bytes of adjacent words in one charset, not yet converted
	pendingCharset := ""
	flush := func() {
		if len(pending) > 0 {
			out.WriteString(toUTF8(pending, pendingCharset))
			pending, pendingCharset = nil, ""
		}
	}
	last := 0
	for _, m := range matches {
		gap := s[last:m[0]]
		if strings.TrimSpace(gap) != "" || last == 0 {
			flush()
			out.WriteString(gap)
		}
		charset := normalizeCharset(s[m[2]:m[3]])
		b := decodeWordBytes(s[m[4]:m[5]], s[m[6]:m[7]])
		if charset != pendingCharset {
			flush()
		}
		pending, pendingCharset = append(pending, b...), charset
		last = m[1]
	}
	flush()
	out.WriteString(s[last:])
	return out.String()
}

// decodeWordBytes decodes the text of one encoded word, leniently: bad base64 yields what can
// be read, a bad =XX stays as it is.
func decodeWordBytes(enc, text string) []byte {
	if enc == "b" || enc == "B" {
		return decodeBase64([]byte(text))
	}
	return appendUnescaped(nil, []byte(strings.ReplaceAll(text, "_", " ")), '=')
}

// decodeBase64 decodes base64 while skipping anything that is not of its alphabet (line breaks,
// stray characters) and ignoring missing padding; it returns what it could read.
func decodeBase64(in []byte) []byte {
	// one buffer of the largest size the data can have: a 25 MB attachment costs its decoded
	// size, not that and a cleaned copy of its text besides
	out := make([]byte, 0, len(in)/4*3+3)
	_ = decodeBase64Blocks(in, func(b []byte) error {
		out = append(out, b...)
		return nil
	})
	return out
}

// base64Alphabet marks the characters of base64 (without the padding).
var base64Alphabet = func() (is [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		is[c] = true
	}
	return is
}()

// decodeBase64Blocks decodes in as decodeBase64 does and hands emit the bytes a block at a
// time (valid until the next call), so a large file can be hashed or stored without being in
// memory whole. It stops at emit's first error.
func decodeBase64Blocks(in []byte, emit func([]byte) error) error {
	var block [4096]byte // whole groups of four, as they are gathered
	var out [len(block) / 4 * 3]byte
	n := 0
	flush := func() error {
		k, _ := base64.RawStdEncoding.Decode(out[:], block[:n])
		n = 0
		if k == 0 {
			return nil
		}
		return emit(out[:k])
	}
	for len(in) > 0 {
		run := 0 // copied a run at a time: a line of base64 is one run
		for run < len(in) && base64Alphabet[in[run]] {
			run++
		}
		for chars := in[:run]; len(chars) > 0; {
			k := copy(block[n:], chars)
			n, chars = n+k, chars[k:]
			if n == len(block) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if run == len(in) || in[run] == '=' { // padding ends the data, as in every decoder
			break
		}
		in = in[run+1:]
	}
	if n%4 == 1 { // a lone trailing character holds no whole byte
		n--
	}
	return flush()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// collapseSpace trims s, drops control characters and makes every whitespace run one space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r) || r == 0xFEFF:
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}
