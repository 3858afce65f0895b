package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// alarmCheckEvery is how often the alarms are looked at.
const alarmCheckEvery = 30 * time.Second

// alarmNames are the incidents an alarm opens, in the order they are checked.
var alarmNames = []string{"mailbox", "outbox"}

// addAlarms adds the job that mails the administrators once per incident: when an alarm of
// the monitor is raised, an incident opens and the mail is queued in the same transaction
// (data.DB.OpenIncident); when it is gone, the incident closes, and the next one mails again.
func addAlarms(jobs *jobRunner, a *app, m *monitor, log *slog.Logger) {
	al := &alarmMailer{db: a.db, users: a.users, monitor: m, domain: a.composer.Domain(),
		baseURL: strings.TrimSuffix(a.cfg.Server.BaseURL, "/"), log: log.With("component", "alarms")}
	jobs.Add("alarms", func(ctx context.Context) error {
		t := time.NewTicker(alarmCheckEvery)
		defer t.Stop()
		for {
			if err := al.check(ctx); err != nil && ctx.Err() == nil {
				al.log.Error("check alarms", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
}

type alarmMailer struct {
	db      *data.DB
	users   *data.UserService
	monitor *monitor
	domain  string
	baseURL string
	log     *slog.Logger
}

// check opens the incidents of the alarms raised and closes the others.
func (al *alarmMailer) check(ctx context.Context) error {
	raised, err := al.monitor.alarms(ctx)
	if err != nil {
		return err
	}
	byName := map[string]alarm{}
	for _, a := range raised {
		byName[a.name] = a
	}
	for _, name := range alarmNames {
		a, up := byName[name]
		if !up {
			if closed, err := al.db.CloseIncident(ctx, name); err != nil {
				return err
			} else if closed {
				al.log.Info("alarm cleared", "alarm", name)
			}
			continue
		}
		if since, err := al.db.IncidentSince(ctx, name); err != nil || !since.IsZero() {
			continue // mailed already
		}
		mail, err := al.mail(ctx, a)
		if err != nil {
			return err
		}
		if opened, err := al.db.OpenIncident(ctx, name, mail); err != nil {
			return fmt.Errorf("open incident %s: %w", name, err)
		} else if opened {
			al.log.Warn("alarm raised; the administrators are mailed", "alarm", name, "recipients", len(mail.To), "alarm_text", a.text)
		}
	}
	return nil
}

// mail is the alarm mail to every active administrator.
func (al *alarmMailer) mail(ctx context.Context, a alarm) (*ticket.OutboundMail, error) {
	users, err := al.users.FindUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("find the administrators: %w", err)
	}
	var to []string
	for _, u := range users {
		if u.IsAdmin() && u.Email != "" {
			to = append(to, u.Email)
		}
	}
	subject := map[string]string{"mailbox": "innboksen leses ikke", "outbox": "e-post venter i utboksen"}[a.name]
	text := fmt.Sprintf("Hei,\n\n%s\n\nIngenting går tapt: e-post som kommer inn, blir liggende i e-postkassen til den kan leses, "+
		"og utgående e-post venter i utboksen.\n\nSe %s/admin og %s/utboks. Tilstanden for overvåkingen står på %s/readyz.\n\n"+
		"Du får bare denne ene e-posten om hendelsen. Varselet på nettsidene forsvinner når det virker igjen.\n\n"+
		"-- \nDigihjelpen kontaktpunkt\n", a.text, al.baseURL, al.baseURL, al.baseURL)
	return &ticket.OutboundMail{Kind: ticket.MailAlarm, To: to, Subject: "Driftsvarsel fra Digihjelpen: " + subject, Text: text,
		MessageID: compose.NewMessageID(al.domain, ticket.Ref{})}, nil
}
