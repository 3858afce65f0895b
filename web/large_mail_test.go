package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestLargeMailDownloads: a mail whose file and source intake stored in chunks (a megabyte or
// more each) is served byte for byte: the attachment download, «Last ned original e-post» and
// a person's export.
func TestLargeMailDownloads(t *testing.T) {
	e := newAdminEnv(t)
	file, raw := make([]byte, 2<<20), make([]byte, 3<<20)
	rand.Read(file)
	rand.Read(raw)
	raw = append([]byte("From: Kari Nordmann <kari@hamar.kommune.no>\r\nSubject: Skannet søknad\r\nMessage-ID: <stor@hamar>\r\n\r\n"), raw...)
	m := &ticket.InboundMail{Source: "test", Message: &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no",
		FromName: "Kari Nordmann", To: []string{"kontakt@digihjelpen.test"}, Subject: "Skannet søknad", Text: "Her er søknaden.",
		MessageID: "<stor@hamar>", Raw: bytes.Clone(raw),
		Attachments: []ticket.Attachment{{Name: "soknad.pdf", Type: "application/pdf", Data: bytes.Clone(file)}}}}
	res, err := data.NewIntakeService(e.db).Ingest(context.Background(), m, ticket.IngestOptions{})
	if err != nil || res.Outcome != ticket.IntakeCreated {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	ref := res.Ref.String()
	agent := e.browser()
	agent.login("agent@ks.no")
	if resp, body := agent.get("/saker/" + ref + "/vedlegg/1/0"); resp.StatusCode != http.StatusOK || body != string(file) {
		t.Errorf("attachment: status %d, %d bytes, want %d", resp.StatusCode, len(body), len(file))
	}
	if resp, body := agent.get("/saker/" + ref + "/kilde/1"); resp.StatusCode != http.StatusOK || body != string(raw) {
		t.Errorf("source: status %d, %d bytes, want %d", resp.StatusCode, len(body), len(raw))
	}

	admin := e.browser()
	admin.login("admin@ks.no")
	resp, body := admin.post("/admin/personer/innsyn", url.Values{"csrf": {admin.csrf("/admin/personer")}, "epost": {"kari@hamar.kommune.no"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: status %d", resp.StatusCode)
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		found["file"] = found["file"] || bytes.Equal(b, file)
		found["source"] = found["source"] || bytes.Equal(b, raw)
	}
	if !found["file"] || !found["source"] {
		t.Errorf("the export holds the file %v and the source %v, want both byte for byte", found["file"], found["source"])
	}
}
