package mailbridge

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// leaf handles a single part: text and HTML in the body are the message; everything else, and
// text that comes as a named file, is an attachment.
func (w *walker) leaf(p *part, depth int) {
	isText := p.mediaType == "text/plain" || p.mediaType == "text/html"
	body := isText && p.disposition() != "attachment" && (p.filename() == "" || depth == 0)
	if !body {
		w.attach(p, p.disposition() == "inline" || (p.disposition() == "" && p.contentID() != ""))
		return
	}
	data := p.decoded()
	utf16 := isUTF16(normalizeCharset(p.params["charset"])) // its zero bytes are letters
	if sniffed := http.DetectContentType(data); looksBinary(data) && !utf16 && !strings.HasPrefix(sniffed, "text/") {
		p.mediaType, _, _ = strings.Cut(sniffed, ";") // declared as text, but a picture (seen in a bounce)
		w.attachData(p, data, false)
		return
	}
	if p.mediaType == "text/html" {
		w.html = append(w.html, toUTF8(data, htmlCharset(p.params["charset"], data)))
		return
	}
	text := toUTF8(data, p.params["charset"])
	if strings.EqualFold(p.params["format"], "flowed") {
		text = unflow(text, strings.EqualFold(p.params["delsp"], "yes"))
	}
	w.plain = append(w.plain, text)
}

// looksBinary reports whether data is not text: NUL bytes or many control characters near
// the start.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 4096)]
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b {
			ctl++
		}
	}
	return ctl*10 > len(head)
}

// attach keeps p as a file with its name, type, size and SHA-256.
func (w *walker) attach(p *part, inline bool) {
	if len(p.body)/4*3 >= decodedLater && p.transferEncoding() == "base64" && !strings.HasPrefix(p.mediaType, "message/") {
		w.attachDecodedLater(p, inline)
		return
	}
	w.attachData(p, p.decoded(), inline)
}

// decodedLater is the size from which a base64 file is not decoded whole while the mail is
// parsed: it is decoded once to learn its hash and size, and again, a piece at a time, as
// storage writes it (ticket.Attachment.Decode). Decoded whole, a 25 MB mail held its source
// and its 18 MB file at once; decoding twice costs some 30 ms.
const decodedLater = 1 << 20

func (w *walker) attachDecodedLater(p *part, inline bool) {
	name := p.filename()
	if name == "" {
		name = defaultName(p, len(w.atts)+1)
	}
	body := p.body // a slice of the mail's source: no copy
	h := sha256.New()
	size := 0
	_ = decodeBase64Blocks(body, func(b []byte) error {
		size += len(b)
		_, err := h.Write(b)
		return err
	})
	w.atts = append(w.atts, ticket.Attachment{
		Name: name, Type: p.mediaType, Size: int64(size), SHA256: hex.EncodeToString(h.Sum(nil)),
		ContentID: p.contentID(), Inline: inline,
		Decode: func(out io.Writer) error {
			return decodeBase64Blocks(body, func(b []byte) error {
				_, err := out.Write(b)
				return err
			})
		},
	})
}

func (w *walker) attachData(p *part, data []byte, inline bool) {
	name := p.filename()
	if name == "" {
		name = defaultName(p, len(w.atts)+1)
	}
	sum := sha256.Sum256(data)
	w.atts = append(w.atts, ticket.Attachment{
		Name: name, Type: p.mediaType, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]),
		ContentID: p.contentID(), Inline: inline, Data: data,
	})
}

// defaultName names a file that came without a name, by its type.
func defaultName(p *part, n int) string {
	if p.mediaType == "message/rfc822" || p.mediaType == "message/global" {
		h, _ := splitMessage(p.decoded(), true)
		if s := h.get("Subject"); s != "" {
			return safeFileName(s) + ".eml"
		}
		return "videresendt-melding.eml"
	}
	ext := map[string]string{
		"text/plain": ".txt", "text/html": ".html", "text/calendar": ".ics", "application/pdf": ".pdf",
		"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "application/ms-tnef": ".dat",
		"application/pgp-signature": ".asc", "application/pkcs7-signature": ".p7s",
		"message/delivery-status": ".txt", "text/rfc822-headers": ".txt",
	}[p.mediaType]
	if ext == "" {
		ext = ".bin"
	}
	return "vedlegg-" + strconv.Itoa(n) + ext
}

// safeFileName makes a subject usable as a file name.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return strings.TrimSpace(s)
}
