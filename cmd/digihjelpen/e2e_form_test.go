package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestEndToEndForm runs the real binary and sends the public form over HTTP the way a browser
// without JavaScript does: the picker holds the real municipalities, the municipality is
// recognised from the address, the receipt gives the status link, and the status page opens.
func TestEndToEndForm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	dbPath := filepath.Join(dir, "var", "form.db")
	addr := freeAddr(t)
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath, "DIGIHJELPEN_SERVER_ADDR="+addr,
		"DIGIHJELPEN_SERVER_BASE_URL="+base, "DIGIHJELPEN_RETENTION_ANONYMISE_AFTER=365d")
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitHealthy(t, base+"/healthz")

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	page := get(t, client, base+"/")
	if n := strings.Count(page, "<option value=\""); n < 357 || !strings.Contains(page, `<option value="3405">Lillehammer</option>`) {
		t.Fatalf("the picker has %d choices, want the 357 municipalities", n)
	}
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if lookup := get(t, client, base+"/skjema/kommune?domene=gjovik.kommune.no"); !strings.Contains(lookup, `"name":"Gjøvik"`) {
		t.Fatalf("lookup: %s", lookup)
	}
	resp, err := client.PostForm(base+"/", url.Values{"csrf": {token[1]}, "navn": {"Åse Øvergård"}, "epost": {"ase@lillehammer.kommune.no"},
		"kommune": {""}, "tema": {"skatt"}, "sporsmal": {"Hvordan får en innbygger uten BankID tak i skattemeldingen?"}})
	if err != nil {
		t.Fatal(err)
	}
	receipt, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	link := regexp.MustCompile(regexp.QuoteMeta(base) + `/sak/[0-9a-f-]{36}`).FindString(string(receipt))
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/kvittering" || link == "" || !strings.Contains(string(receipt), "DH-") {
		t.Fatalf("receipt: %d at %s: %s", resp.StatusCode, resp.Request.URL, receipt)
	}
	if status := get(t, client, link); !strings.Contains(status, "Vi har mottatt spørsmålet ditt") {
		t.Fatalf("status page: %s", status)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "ase@") || !strings.Contains(stderr.String(), "web form ticket created") {
		t.Fatalf("log: %s", stderr.String())
	}
	db := &data.DB{Path: dbPath, Now: time.Now, ReadOnly: true}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, _, err := data.NewTicketService(db).FindTickets(context.Background(), ticket.TicketFilter{Limit: ticket.MaxLimit})
	if err != nil || len(list) != 1 || list[0].Requester.Municipality.Name != "Lillehammer" || list[0].Requester.County.Number != "34" {
		t.Fatalf("stored: %+v %v", list, err)
	}
}
