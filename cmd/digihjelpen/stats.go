package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
	"github.com/ks-no/digihjelpen/web/report"
)

// statsCheckEvery is how often the report mailer looks at the clock.
const statsCheckEvery = time.Minute

// addStatsMail adds the weekly report mail ([stats] recipients, send_at) to jobs.
func addStatsMail(jobs *jobRunner, a *app, log *slog.Logger) error {
	m, err := newReportMailer(a, log)
	if err != nil {
		return err
	}
	if len(m.recipients) == 0 {
		log.Info("weekly report mail is off: [stats] recipients is empty")
		return nil
	}
	jobs.Add("stats-mail", func(ctx context.Context) error {
		m.run(ctx, statsCheckEvery)
		return nil
	})
	log.Info("weekly report mail on", "send_at", a.cfg.Stats.SendAt, "recipients", len(m.recipients))
	return nil
}

// reportMailer queues the previous week's report for the recipients once per week, at the
// scheduled time or, when the server was down then, as soon as it runs again.
type reportMailer struct {
	db         *data.DB
	stats      ticket.StatsService
	agencies   ticket.AgencyService // their names as administrators keep them now
	recipients []string
	schedule   statsSchedule
	baseURL    string
	domain     string // of the Message-ID
	now        func() time.Time
	log        *slog.Logger
	done       ticket.Week // the last week this process knows is queued
}

func newReportMailer(a *app, log *slog.Logger) (*reportMailer, error) {
	sched, err := parseSendAt(a.cfg.Stats.SendAt)
	if err != nil {
		return nil, fmt.Errorf("stats.send_at: %w", err)
	}
	return &reportMailer{db: a.db, stats: data.NewStatsService(a.db), agencies: a.agencyStore,
		recipients: a.cfg.Stats.Recipients, schedule: sched, baseURL: a.cfg.Server.BaseURL,
		domain: a.composer.Domain(), now: time.Now, log: log}, nil
}

func (m *reportMailer) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := m.tick(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("weekly report mail", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// tick queues the report of the week before the latest send time, unless it is queued.
func (m *reportMailer) tick(ctx context.Context) error {
	week := ticket.WeekOf(m.schedule.last(m.now())).Prev()
	if week == m.done {
		return nil
	}
	if _, err := m.db.ReportMail(ctx, week.String()); err == nil {
		m.done = week
		return nil
	} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return err
	}
	mail, err := m.compose(ctx, week)
	if err != nil {
		return err
	}
	queued, err := m.db.EnqueueReportMail(ctx, week.String(), mail)
	if err != nil {
		return fmt.Errorf("queue the report of %s: %w", week, err)
	}
	m.done = week
	if queued {
		m.log.Info("weekly report queued", "week", week.String(), "recipients", len(mail.To), "outbox_id", mail.ID)
	}
	return nil
}

// compose builds the mail of week: the key figures as text, the XLSX attached.
func (m *reportMailer) compose(ctx context.Context, week ticket.Week) (*ticket.OutboundMail, error) {
	r, err := m.stats.WeeklyReport(ctx, week)
	if err != nil {
		return nil, fmt.Errorf("report of %s: %w", week, err)
	}
	as, err := m.agencies.FindAgencies(ctx)
	if err != nil {
		return nil, fmt.Errorf("agencies of the report: %w", err)
	}
	var xlsx bytes.Buffer
	if err := report.Write(&xlsx, r, report.FormatXLSX, as); err != nil {
		return nil, err
	}
	subject, text := report.MailText(r, as, m.baseURL)
	return &ticket.OutboundMail{
		Kind: ticket.MailReport, To: m.recipients, Subject: subject, Text: text,
		MessageID: compose.NewMessageID(m.domain, ticket.Ref{}),
		Attachments: []ticket.Attachment{{Name: report.FileName(week, report.FormatXLSX),
			Type: report.FormatXLSX.ContentType(), Data: xlsx.Bytes()}},
	}, nil
}

// statsSchedule is a weekday and a time of day, Oslo time.
type statsSchedule struct {
	day          time.Weekday
	hour, minute int
}

var weekdayNames = map[string]time.Weekday{
	"mandag": time.Monday, "tirsdag": time.Tuesday, "onsdag": time.Wednesday, "torsdag": time.Thursday,
	"fredag": time.Friday, "lørdag": time.Saturday, "søndag": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

// parseSendAt reads "mandag 07:00" (the config has checked the form already).
func parseSendAt(s string) (statsSchedule, error) {
	day, clock, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), " ")
	wd, known := weekdayNames[day]
	h, m, ok2 := strings.Cut(clock, ":")
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if !ok || !known || !ok2 || err1 != nil || err2 != nil || hour > 23 || minute > 59 || hour < 0 || minute < 0 {
		return statsSchedule{}, fmt.Errorf("expected a weekday and a time such as \"mandag 07:00\", got %q", s)
	}
	return statsSchedule{day: wd, hour: hour, minute: minute}, nil
}

// last is the latest scheduled moment at or before now.
func (s statsSchedule) last(now time.Time) time.Time {
	l := now.In(ticket.Oslo)
	for d := 0; d <= 7; d++ {
		y, mo, day := l.AddDate(0, 0, -d).Date()
		at := time.Date(y, mo, day, s.hour, s.minute, 0, 0, ticket.Oslo)
		if at.Weekday() == s.day && !at.After(now) {
			return at
		}
	}
	return l // unreachable: every weekday comes once in eight days
}
