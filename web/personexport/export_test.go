package personexport

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// storedFiles serves attachment and source bytes by ticket and message.
type storedFiles map[string][]byte

func (f storedFiles) FindAttachment(_ context.Context, id uint64, seq, n int) (*ticket.Attachment, error) {
	data, ok := f[key(id, seq, n)]
	if !ok {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke vedlegget.")
	}
	return &ticket.Attachment{Data: data}, nil
}

func (f storedFiles) FindRawMessage(_ context.Context, id uint64, seq int) ([]byte, error) {
	if data, ok := f[key(id, seq, -1)]; ok {
		return data, nil
	}
	return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke kilden.")
}

// key names attachment n of a message, or its source when n is -1.
func key(id uint64, seq, n int) string { return fmt.Sprintf("%d/%d/%d", id, seq, n) }

func TestWrite(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	own := &ticket.Ticket{ID: 1, Ref: ticket.Ref{Year: 2026, Number: 42}, Subject: "<script>alert(1)</script>", Status: ticket.StatusClosed,
		Agency: "ks", Channel: ticket.ChannelEmail, CreatedAt: at, Requester: ticket.Requester{Name: "Kari Nordmann", Email: "kari@hamar.kommune.no"}}
	other := &ticket.Ticket{ID: 2, Ref: ticket.Ref{Year: 2026, Number: 43}, Subject: "Annet", Status: ticket.StatusOpen, Agency: "nav",
		Channel: ticket.ChannelWeb, CreatedAt: at, Requester: ticket.Requester{Email: "ola@hamar.kommune.no"}}
	d := &ticket.PersonData{Email: "kari@hamar.kommune.no", Names: []string{"Kari Nordmann"}, CollectedAt: at,
		Tickets: []ticket.PersonTicket{
			{Ticket: own, Role: ticket.PersonRequester, Messages: []*ticket.Message{{Seq: 1, Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no",
				Text: "Hei", HasRaw: true, Attachments: []ticket.Attachment{{Name: "../../etc/passwd", Size: 4}}}},
				Events: []*ticket.Event{{Kind: ticket.EventCreated, Actor: "kari@hamar.kommune.no", At: at}}},
			{Ticket: other, Role: ticket.PersonMentioned, Messages: []*ticket.Message{{Seq: 2, Direction: ticket.DirectionNote, Text: "Som Kari sa"}}},
		},
		Quarantine:        []*ticket.QuarantinedMail{{ID: 7, Reason: ticket.QuarantineUnreadable, From: "kari@hamar.kommune.no", ReceivedAt: at}},
		QuarantineSources: map[uint64][]byte{7: []byte("From: kari\r\n\r\nødelagt")},
	}
	files := storedFiles{key(1, 1, 0): []byte("root"), key(1, 1, -1): []byte("From: kari@hamar.kommune.no\r\n\r\nHei")}
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, d, files); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		got[f.Name] = string(b)
	}
	for name, want := range map[string]string{
		"filer/DH-2026-0042/1-1-_.._etc_passwd": "root",
		"kilder/DH-2026-0042/1.eml":             "From: kari@hamar.kommune.no\r\n\r\nHei",
		"karantene/7.eml":                       "From: kari\r\n\r\nødelagt",
	} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q (entries %v)", name, got[name], want, keys(got))
		}
	}
	var doc personJSON
	if err := json.Unmarshal([]byte(got["person.json"]), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Tickets) != 2 || doc.Tickets[0].Ref != "DH-2026-0042" || doc.Tickets[1].Role != "nevnt" ||
		doc.Tickets[0].Messages[0].Attachments[0].File != "filer/DH-2026-0042/1-1-_.._etc_passwd" || doc.Quarantine[0].Source != "karantene/7.eml" {
		t.Errorf("person.json: %+v", doc)
	}
	html := got["sammendrag.html"]
	for _, want := range []string{"Opplysninger om kari@hamar.kommune.no", "DH-2026-0042: &lt;script&gt;", "Du er nevnt i saken", "Som Kari sa", `href="filer/DH-2026-0042/1-1-_.._etc_passwd"`, "01.12.2026 kl. 11.00"} {
		if !strings.Contains(html, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Error("summary holds unescaped HTML from a subject")
	}
}

func TestWriteFailsOnMissingFile(t *testing.T) {
	d := &ticket.PersonData{Email: "a@b.no", Tickets: []ticket.PersonTicket{{Ticket: &ticket.Ticket{ID: 1}, Messages: []*ticket.Message{{Seq: 1, HasRaw: true}}}}}
	if err := Write(context.Background(), io.Discard, d, storedFiles{}); err == nil {
		t.Fatal("a source that cannot be read gave no error")
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
