package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

func osloTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ticket.Oslo)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSendAt(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want statsSchedule
		ok   bool
	}{
		{"default", "mandag 07:00", statsSchedule{time.Monday, 7, 0}, true},
		{"capitals and English", "Friday 15:30", statsSchedule{time.Friday, 15, 30}, true},
		{"søndag", "søndag 23:59", statsSchedule{time.Sunday, 23, 59}, true},
		{"ErrNoDay", "07:00", statsSchedule{}, false},
		{"ErrHour", "mandag 24:00", statsSchedule{}, false},
		{"ErrDay", "mondag 07:00", statsSchedule{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSendAt(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("got %v, %v; want %v, ok %v", got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestScheduleLast(t *testing.T) {
	monday7 := statsSchedule{time.Monday, 7, 0}
	tests := []struct {
		name  string
		sched statsSchedule
		now   string
		want  string
	}{
		{"on the minute", monday7, "2026-11-23 07:00", "2026-11-23 07:00"},
		{"a minute before: last week's", monday7, "2026-11-23 06:59", "2026-11-16 07:00"},
		{"later in the week", monday7, "2026-11-27 12:00", "2026-11-23 07:00"},
		{"Sunday night", monday7, "2026-11-29 23:59", "2026-11-23 07:00"},
		{"Monday after summer time starts", monday7, "2026-03-30 08:00", "2026-03-30 07:00"},
		{"Monday after summer time ends", monday7, "2026-10-26 07:30", "2026-10-26 07:00"},
		{"Sunday 02:30 on the night clocks go forward", statsSchedule{time.Sunday, 2, 30}, "2026-03-29 12:00", "2026-03-29 03:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.sched.last(osloTime(tt.now))
			if want := osloTime(tt.want); !got.Equal(want) {
				t.Errorf("got %v, want %v", got.In(ticket.Oslo), want)
			}
		})
	}
}

// TestReportMailer runs the mailer with an injected clock through first start, an ordinary
// Monday, a restart, and a server that was down on Monday morning.
func TestReportMailer(t *testing.T) {
	ctx := context.Background()
	db := data.NewDB(filepath.Join(t.TempDir(), "d.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := osloTime("2026-11-18 10:00")
	db.Now = func() time.Time { return clock }
	tk := &ticket.Ticket{Subject: "Hjelp med BankID", Status: ticket.StatusNew, Agency: "nav", Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelWeb, Requester: ticket.Requester{Email: "kari@oslo.kommune.no",
			Municipality: ticket.Municipality{Number: "0301", Name: "Oslo"}, County: ticket.County{Number: "03", Name: "Oslo"}}}
	if err := data.NewTicketService(db).CreateTicket(ctx, tk, &ticket.Message{Direction: ticket.DirectionIn, From: "kari@oslo.kommune.no", Text: "Hei"}, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	newMailer := func() *reportMailer {
		return &reportMailer{db: db, stats: data.NewStatsService(db), agencies: data.NewAgencyService(db, routing.DefaultAgencies()),
			recipients: []string{"leder@ks.no", "analyse@ks.no"}, schedule: statsSchedule{time.Monday, 7, 0},
			baseURL: "https://digihjelpen.ks.no", domain: "ks.no", now: func() time.Time { return clock },
			log: slog.New(slog.NewTextHandler(&logs, nil))}
	}
	m := newMailer()
	steps := []struct {
		name, now string
		restart   bool
		queued    string // the week whose mail this step queues, "" for none
	}{
		{"first start mid-week catches up last week", "2026-11-18 10:00", false, "2026-W46"},
		{"the minute before Monday 07:00", "2026-11-23 06:59", false, ""},
		{"Monday 07:00", "2026-11-23 07:00", false, "2026-W47"},
		{"a minute later", "2026-11-23 07:01", false, ""},
		{"restart the same morning", "2026-11-23 09:00", true, ""},
		{"down on Monday, up on Wednesday", "2026-12-02 13:00", true, "2026-W48"},
		{"and again", "2026-12-02 13:01", false, ""},
	}
	queued := 0
	for _, s := range steps {
		clock = osloTime(s.now)
		if s.restart {
			m = newMailer()
		}
		before := strings.Count(logs.String(), "weekly report queued")
		if err := m.tick(ctx); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got := strings.Count(logs.String(), "weekly report queued") - before
		if want := map[bool]int{true: 1, false: 0}[s.queued != ""]; got != want {
			t.Fatalf("%s: queued %d mails, want %d", s.name, got, want)
		}
		if s.queued != "" {
			queued++
			if _, err := db.ReportMail(ctx, s.queued); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
	}
	if _, err := db.ReportMail(ctx, "2026-W49"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("a week never due: got %v, want ENOTFOUND", err)
	}
	// what the log said was queued is what the outbox holds: one report mail per week, no more
	stored, err := data.NewOutboxService(db).FindOutbox(ctx, ticket.OutboxFilter{Limit: ticket.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, m := range stored {
		if m.Kind == ticket.MailReport && m.State == ticket.OutboxQueued {
			subjects = append(subjects, m.Subject)
		}
	}
	if len(subjects) != queued || len(stored) != queued {
		t.Errorf("the outbox holds %d mails, %d of them queued reports (%q); want %d", len(stored), len(subjects), subjects, queued)
	}

	mail, err := db.ReportMail(ctx, "2026-W47")
	if err != nil {
		t.Fatal(err)
	}
	if mail.Kind != ticket.MailReport || mail.State != ticket.OutboxQueued || strings.Join(mail.To, ",") != "leder@ks.no,analyse@ks.no" {
		t.Errorf("mail %v %v %v", mail.Kind, mail.State, mail.To)
	}
	if mail.Subject != "Ukestatistikk for Digihjelpen kontaktpunkt, uke 47 2026" || !strings.HasSuffix(mail.MessageID, "@ks.no>") {
		t.Errorf("subject %q, Message-ID %q", mail.Subject, mail.MessageID)
	}
	for _, want := range []string{"Mandag 16.11.2026 til søndag 22.11.2026", "Nye saker:          1", "Åpne ved ukeslutt:  1",
		"Flest nye saker fra: Oslo (1).", "NAV: 1 nye, 1 åpne", "https://digihjelpen.ks.no/statistikk?uke=2026-W47"} {
		if !strings.Contains(mail.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, mail.Text)
		}
	}
	if len(mail.Attachments) != 1 || mail.Attachments[0].Name != "digihjelpen-uke-2026-W47.xlsx" {
		t.Fatalf("attachments %v", mail.Attachments)
	}
	f, err := excelize.OpenReader(bytes.NewReader(mail.Attachments[0].Data))
	if err != nil {
		t.Fatalf("attached xlsx: %v", err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Sammendrag", "B1"); v != "2026-W47" {
		t.Errorf("attached report is for %q", v)
	}
	w46, _ := db.ReportMail(ctx, "2026-W46") // the ticket came on 18 November, in week 47
	if !strings.Contains(w46.Text, "Nye saker:          0") || !strings.Contains(w46.Text, "Første svar:  ingen målinger denne uka") {
		t.Errorf("W46 report text:\n%s", w46.Text)
	}
}

func TestStatsMailOff(t *testing.T) {
	a, err := openApp("", env{environ: []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "d.db")}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	db := a.db
	var logs bytes.Buffer
	stop := startJobs(t, func(jobs *jobRunner) error { return addStatsMail(jobs, a, slog.New(slog.NewTextHandler(&logs, nil))) })
	stop()
	if !strings.Contains(logs.String(), "weekly report mail is off") {
		t.Errorf("log %q", logs.String())
	}
	a.cfg.Stats.Recipients = []string{"leder@ks.no"}
	stop = startJobs(t, func(jobs *jobRunner) error {
		return addStatsMail(jobs, a, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	defer stop()
	week := ticket.WeekOf(time.Now()).Prev().String()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := db.ReportMail(context.Background(), week); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the loop's first tick queued nothing: %v", err)
		}
	}
	stop() // returns: the loop saw its context end
}

// TestMondayMailReachesMailpit runs the report mail and the outbox of serve against the real
// Mailpit: a server that starts after the send time catches up and mails last week's report,
// XLSX attached, marked Auto-Submitted: auto-generated.
func TestMondayMailReachesMailpit(t *testing.T) {
	smtpAddr, api := mailpitAPI(t)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"), "DIGIHJELPEN_SMTP_ADDR=" + smtpAddr,
		"DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>"}
	a, err := openApp("", env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	to := fmt.Sprintf("leder+%d@ks.no", time.Now().UnixNano())
	a.cfg.Stats.Recipients = []string{to}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	stop := startJobs(t, func(jobs *jobRunner) error {
		if err := addOutbox(jobs, a, log); err != nil {
			return err
		}
		return addStatsMail(jobs, a, log)
	})
	defer stop()

	week := ticket.WeekOf(time.Now()).Prev()
	var msg struct {
		Subject     string
		Text        string
		Attachments []struct {
			PartID, FileName, ContentType string
			Size                          int
		}
	}
	id := mailpitFind(t, api, `to:"`+to+`"`)
	resp, err := http.Get(api + "/api/v1/message/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&msg); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Ukestatistikk for Digihjelpen kontaktpunkt, uke %d %d", week.Week, week.Year); msg.Subject != want {
		t.Errorf("subject %q, want %q", msg.Subject, want)
	}
	if !strings.Contains(msg.Text, "Nye saker:") {
		t.Errorf("text %q", msg.Text)
	}
	// RFC 3834: a report no person wrote is auto-generated (not auto-replied: it answers no
	// mail), so recipients' autoresponders stay silent and intake elsewhere takes it as automatic.
	if h := mailpitMessage(t, api, id); h.header("Auto-Submitted") != "auto-generated" || h.header("X-Auto-Response-Suppress") != "All" {
		t.Errorf("Auto-Submitted %q, X-Auto-Response-Suppress %q; want auto-generated, All",
			h.header("Auto-Submitted"), h.header("X-Auto-Response-Suppress"))
	}
	if len(msg.Attachments) != 1 || msg.Attachments[0].FileName != "digihjelpen-uke-"+week.String()+".xlsx" ||
		msg.Attachments[0].ContentType != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("attachments %+v", msg.Attachments)
	}
	part, err := http.Get(api + "/api/v1/message/" + id + "/part/" + msg.Attachments[0].PartID)
	if err != nil {
		t.Fatal(err)
	}
	defer part.Body.Close()
	f, err := excelize.OpenReader(part.Body)
	if err != nil {
		t.Fatalf("the attachment is no workbook: %v", err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Sammendrag", "B1"); v != week.String() {
		t.Errorf("attached workbook is for %q, want %s", v, week)
	}
}

// mailpitFind waits for one mail matching a Mailpit search and returns its ID.
func mailpitFind(t *testing.T, api, query string) string {
	t.Helper()
	for range 200 {
		var list struct{ Messages []struct{ ID string } }
		if resp, err := http.Get(api + "/api/v1/search?query=" + url.QueryEscape(query)); err == nil {
			json.NewDecoder(resp.Body).Decode(&list)
			resp.Body.Close()
		}
		if len(list.Messages) == 1 {
			return list.Messages[0].ID
		} else if len(list.Messages) > 1 {
			t.Fatalf("%d mails match %s, want one", len(list.Messages), query)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no mail matching %s reached Mailpit", query)
	return ""
}
