package mailbridge

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // registers the charsets of golang.org/x/text
	gomail "github.com/emersion/go-message/mail"
)

// goMessageView reads a mail with github.com/emersion/go-message and its charset package, as
// its documentation says to: message.Read, the entity's MultipartReader part by part, the
// decoded Body, mail.Header for the header fields, AttachmentHeader.Filename for names. Where
// it reports an error together with an entity it can still read (an unknown charset or
// transfer encoding), the entity is read on, as its documentation allows; an error without one
// ends that branch, as it does for a program that uses it. Only the disposition token goes
// through our reading of it (dispositionOf), as it would after a switch.
func goMessageView(raw []byte) (v mimeView) {
	defer func() {
		if r := recover(); r != nil {
			v.Problems = append(v.Problems, fmt.Sprintf("panic: %v", r))
		}
	}()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		v.Problems = append(v.Problems, err.Error())
	}
	if e == nil || e.Header.Len() == 0 {
		return mimeView{NoMail: true, Problems: v.Problems}
	}
	mh := gomail.Header{Header: e.Header}
	v.Subject, err = mh.Subject()
	v.problem("subject", err)
	v.Subject = collapseSpace(v.Subject)
	from, err := mh.AddressList("From")
	v.problem("from", err)
	if len(from) > 0 {
		v.FromAddr, v.FromName = strings.ToLower(from[0].Address), from[0].Name
		if strings.EqualFold(v.FromName, v.FromAddr) {
			v.FromName = ""
		}
	}
	v.To = v.addressList(mh, "To")
	v.Cc = v.addressList(mh, "Cc")
	if t, err := mh.Date(); err == nil && !t.IsZero() {
		v.Date = t.UTC().Format(time.RFC3339)
	} else {
		v.problem("date", err)
	}
	if id, err := mh.MessageID(); id != "" {
		v.MessageID = "<" + id + ">"
	} else {
		v.problem("message-id", err)
	}
	var visit func(e *message.Entity, path string, depth int)
	visit = func(e *message.Entity, path string, depth int) {
		if depth > maxDepth {
			return
		}
		mt, params, err := e.Header.ContentType()
		v.problem(path+": content-type", err)
		mt = strings.ToLower(mt)
		if mr := e.MultipartReader(); mr != nil {
			v.Leaves = append(v.Leaves, leafView{Path: path, Type: mt, Params: multipartParams(params)})
			for i := 1; ; i++ {
				c, err := mr.NextPart()
				if err == io.EOF {
					return
				}
				v.problem(joinPath(path, i), err)
				if c == nil {
					return
				}
				visit(c, joinPath(path, i), depth+1)
			}
		}
		data, err := io.ReadAll(e.Body)
		v.problem(path+": body", err)
		disp, _, _ := e.Header.ContentDisposition()
		name, _ := (&gomail.AttachmentHeader{Header: e.Header}).Filename()
		leaf := leafView{Path: path, Type: mt, Disp: dispositionOf(disp), CID: strings.Trim(strings.TrimSpace(e.Header.Get("Content-Id")), "<>"),
			Name: name, Size: len(data), SHA: shortSHA(data)}
		switch {
		case isBodyText(mt):
			leaf.Text = normalizeText(string(data))
		case mt == "message/rfc822" || mt == "message/global":
			v.Leaves = append(v.Leaves, leaf)
			nested, err := message.Read(bytes.NewReader(data))
			v.problem(joinPath(path, 1), err)
			if nested != nil {
				visit(nested, joinPath(path, 1), depth+1)
			}
			return
		}
		v.Leaves = append(v.Leaves, leaf)
	}
	visit(e, "", 0)
	return v
}

func (v *mimeView) problem(where string, err error) {
	if err != nil {
		v.Problems = append(v.Problems, where+": "+err.Error())
	}
}

func (v *mimeView) addressList(h gomail.Header, key string) string {
	list, err := h.AddressList(key)
	v.problem(strings.ToLower(key), err)
	var out []string
	for _, a := range list {
		out = append(out, strings.ToLower(a.Address))
	}
	return strings.Join(out, ",")
}
