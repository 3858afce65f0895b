package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/ks-no/digihjelpen/ticket"
)

// parseEML reads a .eml well enough to try routing rules on it: sender, recipients, subject
// and the readable text. It is the dry-run's own small reader, not intake's parser: it keeps
// nothing, and a mail it reads imperfectly costs only a less exact trial. When intake's parser
// (mailbridge) is in main, rulesAdmin.parseMail should use it instead so both agree.
func parseEML(raw []byte) (*ticket.Ticket, *ticket.Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, ticket.Errorf(ticket.EINVALID, "Filen kunne ikke leses som en e-post (.eml): %v.", err)
	}
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	header := func(k string) string {
		v := msg.Header.Get(k)
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	m := &ticket.Message{Direction: ticket.DirectionIn, Subject: header("Subject")}
	if from, err := mail.ParseAddress(header("From")); err == nil {
		m.From, m.FromName = strings.ToLower(from.Address), from.Name
	}
	m.To, m.Cc = addressList(header("To")), addressList(header("Cc"))
	text, err := bodyText(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0)
	if err != nil {
		return nil, nil, ticket.Errorf(ticket.EINVALID, "Teksten i e-posten kunne ikke leses: %v.", err)
	}
	m.Text = text
	t := &ticket.Ticket{Subject: m.Subject, Channel: ticket.ChannelEmail, Status: ticket.StatusNew,
		Requester: ticket.Requester{Name: m.FromName, Email: m.From}}
	return t, m, nil
}

func addressList(s string) []string {
	list, err := mail.ParseAddressList(s)
	if err != nil {
		return nil
	}
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = strings.ToLower(a.Address)
	}
	return out
}

// bodyText returns the first text/plain part (or, failing that, text/html without tags) in
// UTF-8, looking into multipart bodies up to a few levels deep.
func bodyText(contentType, encoding string, body io.Reader, depth int) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(mt, "multipart/") && depth < 5 {
		return multipartText(multipart.NewReader(body, params["boundary"]), depth)
	}
	if !strings.HasPrefix(mt, "text/") {
		return "", nil
	}
	b, err := io.ReadAll(decodeTransfer(encoding, io.LimitReader(body, 4<<20)))
	if err != nil {
		return "", err
	}
	s := toUTF8(b, params["charset"])
	if mt == "text/html" {
		s = htmlTags.ReplaceAllString(s, " ")
	}
	return s, nil
}

func multipartText(mr *multipart.Reader, depth int) (string, error) {
	html := ""
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return html, nil
		} else if err != nil {
			return "", err
		}
		ct := p.Header.Get("Content-Type")
		text, err := bodyText(ct, p.Header.Get("Content-Transfer-Encoding"), p, depth+1)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(ct, "text/html") {
			if html == "" {
				html = text
			}
			continue
		}
		if strings.TrimSpace(text) != "" {
			return text, nil
		}
	}
}

var htmlTags = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`)

func decodeTransfer(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	}
	return r
}

// toUTF8 decodes b from charset. A part that claims UTF-8 (or nothing) and is valid UTF-8 stays
// as it is.
func toUTF8(b []byte, charset string) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs == "" || cs == "utf-8" || cs == "us-ascii" {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(strings.ToLower(charset))
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	return enc.NewDecoder().Reader(r), nil
}

// stripSpace drops line breaks and spaces from base64 text, which the decoder refuses.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			p[j] = c
			j++
		}
	}
	return j, err
}
