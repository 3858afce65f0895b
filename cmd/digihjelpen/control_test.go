package main

import (
	"bytes"
	"context"
	"fmt"
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
	"github.com/ks-no/digihjelpen/web"
)

// commandStep is one command line of TestCommandsWhileServing; {out} in an argument is a folder
// of the run's own, so both runs write their files apart.
type commandStep struct {
	name     string
	stdin    string
	args     []string
	wantCode int
	want     string // in stdout or stderr
}

// TestCommandsWhileServing runs every command that works on the database twice, from the same
// database: with the server running, so the server does the work through the control socket,
// and with it stopped, so the command opens the file. Exit codes and output are the same, the
// files written are the same, and the database ends up the same.
func TestCommandsWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "var", "d.db")
	seedServeStore(t, dbPath)
	start := filepath.Join(dir, "start.db")
	copyFile(t, dbPath, start)
	mails := filepath.Join(dir, "eksport")
	writeMail(t, filepath.Join(mails, "a.eml"), mailText("Kari <kari@hamar.kommune.no>", "Kurs", "<a@hamar>", "Date: Mon, 23 Mar 2026 10:00:00 +0100\r\n"))
	writeMail(t, filepath.Join(mails, "Maildir", "cur", "1700000000.M1P2.host:2,S"), mailText("per@gran.kommune.no", "Skjema", "<c@gran>", "Date: Tue, 24 Mar 2026 10:00:00 +0100\r\n"))
	writeMail(t, filepath.Join(mails, "svar.eml"), mailText("kari@hamar.kommune.no", "SV: Kurs", "<b@hamar>", "Date: Tue, 24 Mar 2026 11:00:00 +0100\r\nIn-Reply-To: <a@hamar>\r\n"))
	rules := writeFile(t, "regler.toml", navRules)
	badRules := writeFile(t, "feil.toml", "[[rules]]\nname = \"B\"\nagency = \"skatt\"\n")
	steps := []commandStep{
		{"user add", "", []string{"user", "add", "ola@ks.no", "-name", "Ola Nordmann", "-role", "agent"}, 0, "Brukeren ola@ks.no (agent) er opprettet."},
		{"user add from stdin", "et-langt-passord-her\n", []string{"user", "add", "kari@ks.no", "-name", "Kari", "-role", "admin", "-password-stdin"}, 0, "kari@ks.no (admin)"},
		{"ErrUserTaken", "", []string{"user", "add", "OLA@ks.no", "-name", "Ola"}, 1, "finnes allerede"},
		{"ErrUserShortPassword", "kort\n", []string{"user", "add", "per@ks.no", "-password-stdin"}, 1, "minst 12 tegn"},
		{"ErrUserUsage", "", []string{"user", "add", "-name", "Per"}, 2, "one email address"},
		{"token create", "", []string{"token", "create", "-name", "statistikk", "-role", "leser"}, 0, "vises bare denne ene gangen"},
		{"ErrTokenName", "", []string{"token", "create"}, 1, "Gi nøkkelen et navn"},
		{"import", "", []string{"import", mails}, 0, "Ferdig: 3 e-poster: 2 nye saker, 1 lagt til i saker, 0 duplikater, 0 i karantene."},
		{"import again", "", []string{"import", "-ack", filepath.Join(mails, "a.eml")}, 0, "1 duplikater"},
		{"ErrImportMissing", "", []string{"import", "/finnes/ikke.eml"}, 1, "finner ikke «/finnes/ikke.eml»"},
		{"person export", "", []string{"person", "export", "kari@hamar.kommune.no", "-o", "{out}/kari.zip"}, 0, "Opplysningene om kari@hamar.kommune.no er skrevet: 1 saker."},
		{"ErrPersonNobody", "", []string{"person", "export", "-o", "{out}/ingen.zip", "ingen@example.no"}, 1, "Det er ikke lagret noe om ingen@example.no."},
		{"export", "", []string{"export", "-week", "2026-W13", "-format", "csv"}, 0, "2026-W13;Sammendrag;;;Nye saker;new;"},
		{"export tickets to a file", "", []string{"export", "-tickets", "-from", "2026-03-01", "-to", "2026-03-31", "-format", "csv", "-o", "{out}/saker.csv"}, 0, ""},
		{"ErrExportUnwritable", "", []string{"export", "-o", "{out}/finnes-ikke/x.csv"}, 1, "finnes-ikke"},
		{"rules check", "", []string{"rules", "check", rules}, 0, "1 regler, ingen feil"},
		{"rules test", "", []string{"rules", "test", rules, "-since", "2026-01-01"}, 0, "Prøvekjøring på saker opprettet fra 01.01.2026"},
		{"ErrRulesCheck", "", []string{"rules", "check", badRules}, 1, badRules + ":3: regelen «B»: agency: ukjent etat «skatt»"},
		{"ErrRulesMissing", "", []string{"rules", "check", "/finnes/ikke.toml"}, 1, "cannot read /finnes/ikke.toml: no such file or directory"},
		{"backup", "", []string{"backup", "{out}/kopi.db"}, 0, "Sikkerhetskopi skrevet til"},
		{"person erase", "", []string{"person", "erase", "kari@hamar.kommune.no"}, 0, "1 egne saker anonymisert"},
		{"ErrBackupUnwritable", "", []string{"backup", "/finnes/ikke/kopi.db"}, 1, "create /finnes/ikke/kopi.db: no such file or directory"},
	}
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}

	srv := startServeAt(t, dbPath)
	if info, err := os.Stat(socketPath(dbPath)); err != nil || info.Mode().Perm() != 0o600 || info.Mode().Type() != os.ModeSocket {
		t.Fatalf("control socket: %v %v, want a socket 0600", info, err)
	}
	running := runSteps(t, steps, filepath.Join(dir, "running"), environ)
	binaryClient(t, environ, filepath.Join(dir, "running"))
	srv.stop(t)
	if n := strings.Count(srv.logs.String(), "command run for the command line"); n != len(steps)+2 {
		t.Errorf("the server ran %d commands, want %d: some ran beside it\n%s", n, len(steps)+2, srv.logs)
	}
	if _, err := os.Stat(socketPath(dbPath)); !os.IsNotExist(err) {
		t.Errorf("control socket left after a clean stop: %v", err)
	}
	afterRunning := storeSummary(t, dbPath)

	copyFile(t, start, dbPath)
	stopped := runSteps(t, steps, filepath.Join(dir, "stopped"), environ)
	binaryClient(t, environ, filepath.Join(dir, "stopped"))
	afterStopped := storeSummary(t, dbPath)
	for i, st := range steps {
		if running[i] != stopped[i] {
			t.Errorf("%s: the output differs\nserver running: %q\nserver stopped: %q", st.name, running[i], stopped[i])
		}
	}
	if afterRunning != afterStopped {
		t.Errorf("the database differs: running %s, stopped %s", afterRunning, afterStopped)
	}
	for _, f := range []string{"saker.csv"} { // a zip records when it was written: compared by its person.json below
		a, _ := os.ReadFile(filepath.Join(dir, "running", f))
		b, _ := os.ReadFile(filepath.Join(dir, "stopped", f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs or is empty: %d and %d bytes", f, len(a), len(b))
		}
	}
	if a, b := personJSON(t, filepath.Join(dir, "running", "kari.zip")), personJSON(t, filepath.Join(dir, "stopped", "kari.zip")); len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("the person export differs or is empty: %d and %d bytes", len(a), len(b))
	}
	if got := storeSummary(t, filepath.Join(dir, "running", "kopi.db")); !strings.HasPrefix(got, "users 3 ") {
		t.Errorf("the backup written by the server holds %s, want the three users", got)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*", ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// runSteps runs the steps in-process (the caller's side of the control socket when a server
// runs) and returns their normalised results.
func runSteps(t *testing.T, steps []commandStep, out string, environ []string) []string {
	t.Helper()
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	results := make([]string, len(steps))
	for i, st := range steps {
		args := make([]string, len(st.args))
		for j, a := range st.args {
			args[j] = strings.ReplaceAll(a, "{out}", out)
		}
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, env{stdin: strings.NewReader(st.stdin), stdout: &stdout, stderr: &stderr, environ: environ})
		if code != st.wantCode || !strings.Contains(stdout.String()+stderr.String(), strings.ReplaceAll(st.want, "{out}", out)) {
			t.Errorf("%s: code %d, stdout %q, stderr %q; want code %d with %q", st.name, code, stdout.String(), stderr.String(), st.wantCode, st.want)
		}
		results[i] = fmt.Sprintf("%d\x00%s", code, normalise(strings.ReplaceAll(stdout.String()+"\x00"+stderr.String(), out, "{out}")))
	}
	return results
}

// normalise blanks what differs on every run: generated passwords and tokens, times.
func normalise(s string) string {
	for _, r := range []struct{ re, with string }{
		{`Passord: \S+`, "Passord: X"},
		{`dh_\S+`, "dh_X"},
		{`\(\d+ byte\)`, "(N byte)"},
		{`"generated_at": "[^"]+"`, `"generated_at": X`},
		{`kjennetegnet \S+`, "kjennetegnet X"}, // a keyed hash, with a secret each database makes anew
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.with)
	}
	return s
}

// binaryClient runs two commands with the real binary against the running server: output
// passed as a real pipe, input as a real file.
func binaryClient(t *testing.T, environ []string, out string) {
	t.Helper()
	bin := buildBinary(t)
	cmd := exec.Command(bin, "export", "-week", "2026-W13", "-format", "csv")
	cmd.Env = append(os.Environ(), environ...)
	got, err := cmd.Output()
	if err != nil || !strings.Contains(string(got), "2026-W13;Sammendrag;;;Nye saker;new;") {
		t.Errorf("binary export: %v %q", err, got)
	}
	pw := filepath.Join(out, "passord.txt")
	os.WriteFile(pw, []byte("enda-et-langt-passord\n"), 0o600)
	cmd = exec.Command(bin, "user", "add", "per@ks.no", "-name", "Per", "-password-stdin")
	cmd.Env = append(os.Environ(), environ...)
	cmd.Stdin, _ = os.Open(pw)
	if got, err := cmd.CombinedOutput(); err != nil || string(got) != "Brukeren per@ks.no (agent) er opprettet.\n" {
		t.Errorf("binary user add: %v %q", err, got)
	}
}

// storeSummary opens a database file (no server on it) and counts what the commands change.
func storeSummary(t *testing.T, path string) string {
	t.Helper()
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Verify(ctx); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	users, _ := data.NewUserService(db).CountUsers(ctx)
	tokens, _ := data.NewTokenService(db).FindTokens(ctx)
	_, tickets, _ := data.NewTicketService(db).FindTickets(ctx, ticket.TicketFilter{})
	var b strings.Builder
	for _, tk := range tokens {
		b.WriteString(tk.Name + "/" + string(tk.Role) + " ")
	}
	return fmt.Sprintf("users %d tickets %d tokens %s", users, tickets, b.String())
}

// seedServeStore makes a database with one ticket and one administrator, so serve creates no
// first administrator and both runs start alike.
func seedServeStore(t *testing.T, path string) {
	t.Helper()
	seedTicket(t, path)
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hash, err := web.HashPassword("et-passord-for-admin")
	if err != nil {
		t.Fatal(err)
	}
	u := &ticket.User{Email: "admin@ks.no", Name: "Admin", Role: ticket.RoleAdmin, PasswordHash: hash}
	if err := data.NewUserService(db).CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// startServeAt runs the binary serving dbPath until the test ends (or stop).
func startServeAt(t *testing.T, dbPath string, extra ...string) *serveProcess {
	t.Helper()
	bin := buildBinary(t)
	httpAddr := freeAddr(t)
	s := &serveProcess{base: "http://" + httpAddr, dbPath: dbPath, logs: &syncBuffer{}, stdout: &syncBuffer{}}
	s.environ = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath, "DIGIHJELPEN_SERVER_ADDR="+httpAddr,
		"DIGIHJELPEN_SERVER_BASE_URL="+s.base)
	s.environ = append(s.environ, extra...)
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = s.environ
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	waitHealthy(t, s.base+"/healthz")
	return s
}

// TestControlSocketRefusesOtherUsers: a user other than the server's gets a sentence that says
// how to run the command, not a locked file; and when the socket's mode is opened up by
// mistake, the server still refuses that user (SO_PEERCRED).
func TestControlSocketRefusesOtherUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("runs a command as another user")
	}
	dir, err := os.MkdirTemp("", "dh-control-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	dbPath := filepath.Join(dir, "d.db")
	seedServeStore(t, dbPath)
	srv := startServeAt(t, dbPath)
	bin := buildBinary(t)
	os.Chmod(filepath.Dir(bin), 0o755)
	asNobody := func() (string, error) {
		cmd := exec.Command(bin, "token", "create", "-name", "x")
		cmd.Env = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		cmd.Dir = "/"
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := asNobody()
	if err == nil || !strings.Contains(out, "Kjør kommandoen som tjenestens bruker") {
		t.Fatalf("as nobody: %v %q", err, out)
	}
	os.Chmod(socketPath(dbPath), 0o666)
	out, err = asNobody()
	if err == nil || !strings.Contains(out, "forbindelsen til serveren brøt") {
		t.Fatalf("as nobody, socket 0666: %v %q", err, out)
	}
	time.Sleep(100 * time.Millisecond)
	if !strings.Contains(srv.logs.String(), "control socket: caller refused") || !strings.Contains(srv.logs.String(), "uid=65534") {
		t.Errorf("log:\n%s", srv.logs)
	}
	srv.stop(t)
	if n := storeSummary(t, dbPath); !strings.HasSuffix(n, "tokens ") {
		t.Errorf("a token was made: %s", n)
	}
}

// TestCommandsNeedNoSecretsWhileServing: a command line without the secrets the server was
// given (an operator's shell, not the service's environment) still reaches the running server,
// which works with its own configuration; with the server stopped the command opens the file
// itself and needs the whole configuration, and says which key it lacks.
func TestCommandsNeedNoSecretsWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dbPath := filepath.Join(t.TempDir(), "var", "d.db")
	seedServeStore(t, dbPath)
	sso := []string{"DIGIHJELPEN_SSO_ISSUER=http://127.0.0.1:9/oidc", "DIGIHJELPEN_SSO_CLIENT_ID=digihjelpen", "DIGIHJELPEN_SSO_AGENT_GROUPS=g"}
	srv := startServeAt(t, dbPath, append(sso, "DIGIHJELPEN_SSO_CLIENT_SECRET=hemmelig")...)
	operator := append([]string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}, sso...)
	if code, out, errOut := runIn(t, operator, "", "token", "create", "-name", "uten-hemmelighet"); code != 0 || !strings.HasPrefix(out, "dh_") {
		t.Fatalf("while serving: code %d %q %q", code, out, errOut)
	}
	srv.stop(t)
	if code, _, errOut := runIn(t, operator, "", "token", "create", "-name", "uten-hemmelighet"); code != 1 || !strings.Contains(errOut, "sso.client_secret") {
		t.Fatalf("server stopped: code %d %q", code, errOut)
	}
}
