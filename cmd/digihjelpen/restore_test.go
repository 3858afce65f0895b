package main

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestRestoreScheduledBackup runs the real binary with scheduled backups: it writes one at
// start; a question imported afterwards (through the server) is not in it. With the server
// stopped, restore puts the backup in place and keeps the database it replaces; started again,
// the server serves exactly the tickets it had when the backup was made.
func TestRestoreScheduledBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "var", "digihjelpen.db")
	backups := filepath.Join(dir, "kopier")
	seedServeStore(t, dbPath)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath, "DIGIHJELPEN_BACKUP_DIR=" + backups}
	code, token, errOut := runIn(t, environ, "", "token", "create", "-name", "gjenoppretting")
	if code != 0 {
		t.Fatal(errOut)
	}
	token = strings.TrimSpace(token)

	srv := startServeAt(t, dbPath, environ...)
	srv.token = token
	var files []string
	for deadline := time.Now().Add(10 * time.Second); len(files) == 0; time.Sleep(20 * time.Millisecond) {
		if files, _ = filepath.Glob(filepath.Join(backups, "digihjelpen-*Z.db")); time.Now().After(deadline) {
			t.Fatalf("no scheduled backup in %s:\n%s", backups, srv.logs)
		}
	}
	atBackup := apiRefs(t, srv)
	mail := filepath.Join(dir, "etterpå.eml")
	writeMail(t, mail, mailText("Per <per@gran.kommune.no>", "Etter kopien", "<etter@gran>", ""))
	if code, out, errOut := runIn(t, environ, "", "import", mail); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	if got := apiRefs(t, srv); len(got) != len(atBackup)+1 {
		t.Fatalf("after the import the server has %v, want one more than %v", got, atBackup)
	}

	if code, _, errOut := runIn(t, environ, "", "restore", files[0]); code != 1 || !strings.Contains(errOut, "Stopp den først") {
		t.Fatalf("restore while the server runs: code %d, %q", code, errOut)
	}
	srv.stop(t)
	code, out, errOut := runIn(t, environ, "", "restore", files[0])
	if code != 0 || !strings.Contains(out, "Sikkerhetskopien er kontrollert (1 saker, 1 brukere, skjemaversjon") ||
		!strings.Contains(out, "Den forrige databasen er beholdt som "+dbPath+".before-restore-") {
		t.Fatalf("restore: code %d\n%s%s", code, out, errOut)
	}
	old, _ := filepath.Glob(dbPath + ".before-restore-*")
	if len(old) != 1 || !strings.Contains(storeSummary(t, old[0]), "tickets 2") {
		t.Fatalf("the replaced database: %v", old)
	}

	again := startServeAt(t, dbPath, environ...)
	again.token = token
	if got := apiRefs(t, again); !slices.Equal(got, atBackup) {
		t.Errorf("after restore the server has %v, want %v as at the backup", got, atBackup)
	}
	ref, _, _ := strings.Cut(atBackup[0], " ")
	if status, body := again.get(t, "/api/v1/tickets/"+ref); status != 200 || !strings.Contains(body, "Vi starter opp i biblioteket.") {
		t.Errorf("ticket %s: %d %s", ref, status, body)
	}
	again.stop(t)
}

// apiRefs lists the references and subjects of every ticket the server serves.
func apiRefs(t *testing.T, s *serveProcess) []string {
	t.Helper()
	status, body := s.get(t, "/api/v1/tickets?limit=100")
	var list struct {
		Tickets []struct{ Ref, Subject string }
	}
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil {
		t.Fatalf("ticket list: %d %s", status, body)
	}
	var refs []string
	for _, tk := range list.Tickets {
		refs = append(refs, tk.Ref+" "+tk.Subject)
	}
	slices.Sort(refs)
	return refs
}

// runIn runs a command in-process with environ.
func runIn(t *testing.T, environ []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	code := run(t.Context(), args, env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, environ: environ})
	return code, out.String(), errOut.String()
}

// TestRestoreRefuses: a file that is no database, a torn copy and a database of a newer
// program are refused, and the database stays as it was.
func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "var", "d.db")
	seedServeStore(t, dbPath)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}
	good := filepath.Join(dir, "kopi.db")
	if code, _, errOut := runIn(t, environ, "", "backup", good); code != 0 {
		t.Fatal(errOut)
	}
	raw, _ := os.ReadFile(good)
	notADatabase := writeFile(t, "notater.db", "ikke en database")
	torn := writeFile(t, "revet.db", string(raw[:len(raw)/2]))
	newer := filepath.Join(dir, "nyere.db")
	copyFile(t, good, newer)
	bumpSchema(t, newer)
	before, _ := os.ReadFile(dbPath)
	for _, tt := range []struct{ name, file, want string }{
		{"not a database", notADatabase, "kan ikke brukes som database, ingenting er endret"},
		{"torn", torn, "kan ikke brukes som database, ingenting er endret"},
		{"newer program", newer, "newer than this program"},
		{"missing", filepath.Join(dir, "finnes-ikke.db"), "les sikkerhetskopien"},
		{"usage", "", "restore FILE"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"restore", tt.file}
			if tt.file == "" {
				args = args[:1]
			}
			code, _, errOut := runIn(t, environ, "", args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("code %d, stderr %q; want %q", code, errOut, tt.want)
			}
			after, _ := os.ReadFile(dbPath)
			if string(after) != string(before) {
				t.Fatal("the database changed")
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "var", ".*")); len(left) > 0 {
				t.Fatalf("left behind: %v", left)
			}
		})
	}
	if code, out, errOut := runIn(t, environ, "", "restore", good); code != 0 || !strings.Contains(out, "lagt på plass") {
		t.Fatalf("a good backup: %d %s %s", code, out, errOut)
	}
}

// bumpSchema gives a database file the schema version of a program not yet written.
func bumpSchema(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, 999))
	})
	if err != nil {
		t.Fatal(err)
	}
}
