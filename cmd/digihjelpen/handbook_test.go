package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandbookImportCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "db", "d.db")
	articles := filepath.Join(dir, "artikler")
	os.Mkdir(articles, 0o700)
	files := map[string]string{
		"logge-inn-med-minid.md": "---\nstikkord: MinID, innlogging\netater: skatteetaten\n---\n# Logge inn med MinID\n\n1. Gå til minid.no\n",
		"Endre skattekort.md":    "# Endre skattekortet\r\n\r\nPå skatteetaten.no.\r\n",
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(articles, name), []byte(text), 0o600)
	}
	code, out, errOut := runCmd(t, dbPath, "", "handbook", "import", articles)
	if code != 0 || !strings.Contains(out, "2 nye artikler, 0 endret, 0 uendret") {
		t.Fatalf("first import: %d %q %q", code, out, errOut)
	}
	os.WriteFile(filepath.Join(articles, "Endre skattekort.md"), []byte("# Endre skattekortet\n\nPå skatteetaten.no, med BankID.\n"), 0o600)
	code, out, _ = runCmd(t, dbPath, "", "handbook", "import", articles)
	if code != 0 || !strings.Contains(out, "0 nye artikler, 1 endret, 1 uendret") {
		t.Fatalf("second import: %d %q", code, out)
	}
	os.WriteFile(filepath.Join(articles, "feil.md"), []byte("---\nforfatter: Kari\n---\nTekst"), 0o600)
	code, _, errOut = runCmd(t, dbPath, "", "handbook", "import", articles)
	if code != 1 || !strings.Contains(errOut, "feil.md: ukjent felt «forfatter»") {
		t.Errorf("unknown field: %d %q", code, errOut)
	}
	os.WriteFile(filepath.Join(articles, "feil.md"), []byte("---\netater: politiet\n---\nTekst"), 0o600)
	code, _, errOut = runCmd(t, dbPath, "", "handbook", "import", articles)
	if code != 1 || !strings.Contains(errOut, "Ukjent etat «politiet»") {
		t.Errorf("unknown agency: %d %q", code, errOut)
	}
}

func TestParseArticle(t *testing.T) {
	a, err := parseArticle(strings.NewReader("---\ntittel: Egen tittel\n---\n# Overskrift\nTekst"), "Kurs for Seniorer")
	if err != nil || a.Slug != "kurs-for-seniorer" || a.Title != "Egen tittel" || a.Text != "Tekst" {
		t.Errorf("got %+v %v", a, err)
	}
	a, _ = parseArticle(strings.NewReader("Bare tekst"), "bibliotek")
	if a.Title != "bibliotek" || a.Text != "Bare tekst" {
		t.Errorf("no heading: %+v", a)
	}
}
