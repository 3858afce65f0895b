package data

import (
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// ticketRecord is how a ticket is stored. It is its own type, with explicit names, so that a
// renamed Go field never silently loses stored data, and the API shape can differ.
type ticketRecord struct {
	ID              uint64           `json:"id"`
	RefYear         int              `json:"ry"`
	RefNumber       int              `json:"rn"`
	Subject         string           `json:"subj"`
	Status          string           `json:"st"`
	Agency          string           `json:"ag"`
	Priority        string           `json:"pri"`
	Assignee        string           `json:"asg,omitempty"`
	Channel         string           `json:"ch"`
	Tags            []string         `json:"tags,omitempty"`
	Category        string           `json:"cat,omitempty"`
	Requester       requesterRecord  `json:"req"`
	Participants    []string         `json:"parts,omitempty"`
	RoutingRule     string           `json:"rrule,omitempty"`
	RoutingReason   string           `json:"rwhy,omitempty"`
	Template        string           `json:"tpl,omitempty"`
	StatusToken     string           `json:"tok"`
	LinkedTo        uint64           `json:"link,omitempty"`
	MergedInto      uint64           `json:"mrg,omitempty"`
	MergedFrom      []uint64         `json:"mrgf,omitempty"`
	Articles        []string         `json:"arts,omitempty"`
	CreatedAt       time.Time        `json:"cat_"`
	UpdatedAt       time.Time        `json:"uat"`
	FirstResponseAt time.Time        `json:"frat,omitzero"`
	ResolvedAt      time.Time        `json:"rsat,omitzero"`
	ReopenCount     int              `json:"reo,omitempty"`
	Referrals       []referralRecord `json:"refs,omitempty"`
	MessageCount    int              `json:"msgs"`
	Version         uint64           `json:"ver"`
	AnonymisedAt    time.Time        `json:"anon,omitzero"`
	Latest          *previewRecord   `json:"last,omitempty"`
	LastInboundAt   time.Time        `json:"lin,omitzero"`
}

// previewRecord is the start of a ticket's latest message (ticket.MessagePreview).
type previewRecord struct {
	Direction string    `json:"dir"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

type requesterRecord struct {
	Name        string `json:"n,omitempty"`
	Email       string `json:"e,omitempty"`
	MunicNumber string `json:"mn,omitempty"`
	MunicName   string `json:"mnm,omitempty"`
	CountyNum   string `json:"cn,omitempty"`
	CountyName  string `json:"cnm,omitempty"`
}

type referralRecord struct {
	Agency     string    `json:"ag"`
	Status     string    `json:"st"`
	Note       string    `json:"note,omitempty"`
	By         string    `json:"by,omitempty"`
	MessageID  string    `json:"mid,omitempty"`
	SentAt     time.Time `json:"sat"`
	AnsweredAt time.Time `json:"aat,omitzero"`
	RemindAt   time.Time `json:"rat,omitzero"`
	RemindedAt time.Time `json:"rdat,omitzero"`
}

func toTicketRecord(t *ticket.Ticket) *ticketRecord {
	r := &ticketRecord{
		ID: t.ID, RefYear: t.Ref.Year, RefNumber: t.Ref.Number, Subject: t.Subject,
		Status: string(t.Status), Agency: t.Agency, Priority: string(t.Priority), Assignee: t.Assignee,
		Channel: string(t.Channel), Tags: t.Tags, Category: t.Category,
		Requester: requesterRecord{
			Name: t.Requester.Name, Email: t.Requester.Email,
			MunicNumber: t.Requester.Municipality.Number, MunicName: t.Requester.Municipality.Name,
			CountyNum: t.Requester.County.Number, CountyName: t.Requester.County.Name,
		},
		Participants: t.Participants, RoutingRule: t.Routing.Rule, RoutingReason: t.Routing.Reason, Template: t.Template,
		StatusToken: t.StatusToken, LinkedTo: t.LinkedTo, MergedInto: t.MergedInto, MergedFrom: t.MergedFrom, Articles: t.Articles, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		FirstResponseAt: t.FirstResponseAt, ResolvedAt: t.ResolvedAt, ReopenCount: t.ReopenCount,
		MessageCount: t.MessageCount, Version: t.Version, AnonymisedAt: t.AnonymisedAt, LastInboundAt: t.LastInboundAt,
	}
	if !t.Latest.Empty() {
		r.Latest = &previewRecord{Direction: string(t.Latest.Direction), Text: t.Latest.Text, At: t.Latest.At}
	}
	for _, f := range t.Referrals {
		r.Referrals = append(r.Referrals, referralRecord{
			Agency: f.Agency, Status: string(f.Status), Note: f.Note, By: f.By, MessageID: f.MessageID,
			SentAt: f.SentAt, AnsweredAt: f.AnsweredAt, RemindAt: f.RemindAt, RemindedAt: f.RemindedAt,
		})
	}
	return r
}

func (r *ticketRecord) ticket() *ticket.Ticket {
	t := &ticket.Ticket{
		ID: r.ID, Ref: ticket.Ref{Year: r.RefYear, Number: r.RefNumber}, Subject: r.Subject,
		Status: ticket.Status(r.Status), Agency: r.Agency, Priority: ticket.Priority(r.Priority),
		Assignee: r.Assignee, Channel: ticket.Channel(r.Channel), Tags: r.Tags, Category: r.Category,
		Requester: ticket.Requester{
			Name: r.Requester.Name, Email: r.Requester.Email,
			Municipality: ticket.Municipality{Number: r.Requester.MunicNumber, Name: r.Requester.MunicName},
			County:       ticket.County{Number: r.Requester.CountyNum, Name: r.Requester.CountyName},
		},
		Participants: r.Participants, Routing: ticket.Routing{Rule: r.RoutingRule, Reason: r.RoutingReason}, Template: r.Template,
		StatusToken: r.StatusToken, LinkedTo: r.LinkedTo, MergedInto: r.MergedInto, MergedFrom: r.MergedFrom, Articles: r.Articles, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		FirstResponseAt: r.FirstResponseAt, ResolvedAt: r.ResolvedAt, ReopenCount: r.ReopenCount,
		MessageCount: r.MessageCount, Version: r.Version, AnonymisedAt: r.AnonymisedAt, LastInboundAt: r.LastInboundAt,
	}
	if r.Latest != nil {
		t.Latest = ticket.MessagePreview{Direction: ticket.Direction(r.Latest.Direction), Text: r.Latest.Text, At: r.Latest.At}
	}
	for _, f := range r.Referrals {
		t.Referrals = append(t.Referrals, ticket.Referral{
			Agency: f.Agency, Status: ticket.ReferralStatus(f.Status), Note: f.Note, By: f.By,
			MessageID: f.MessageID, SentAt: f.SentAt, AnsweredAt: f.AnsweredAt, RemindAt: f.RemindAt,
			RemindedAt: f.RemindedAt,
		})
	}
	return t
}

// messageRecord is how a message is stored; attachment bytes and the raw source live apart.
type messageRecord struct {
	TicketID    uint64             `json:"tid"`
	Seq         int                `json:"seq"`
	Direction   string             `json:"dir"`
	From        string             `json:"from,omitempty"`
	FromName    string             `json:"fromn,omitempty"`
	To          []string           `json:"to,omitempty"`
	Cc          []string           `json:"cc,omitempty"`
	Subject     string             `json:"subj,omitempty"`
	Text        string             `json:"text,omitempty"`
	QuoteStart  int                `json:"qs,omitempty"`
	HTML        string             `json:"html,omitempty"`
	Author      string             `json:"auth,omitempty"`
	MessageID   string             `json:"mid,omitempty"`
	InReplyTo   string             `json:"irt,omitempty"`
	References  []string           `json:"refs,omitempty"`
	Attachments []attachmentRecord `json:"att,omitempty"`
	HasRaw      bool               `json:"raw,omitempty"`
	Auto        string             `json:"auto,omitempty"`
	CreatedAt   time.Time          `json:"at"`
}

type attachmentRecord struct {
	Name      string `json:"n"`
	Type      string `json:"t"`
	Size      int64  `json:"s"`
	SHA256    string `json:"h"`
	ContentID string `json:"cid,omitempty"`
	Inline    bool   `json:"in,omitempty"`
}

func toMessageRecord(m *ticket.Message) *messageRecord {
	r := &messageRecord{
		TicketID: m.TicketID, Seq: m.Seq, Direction: string(m.Direction), From: m.From, FromName: m.FromName,
		To: m.To, Cc: m.Cc, Subject: m.Subject, Text: m.Text, QuoteStart: m.QuoteStart, HTML: m.HTML, Author: m.Author,
		MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References, HasRaw: m.HasRaw,
		Auto: m.Auto, CreatedAt: m.CreatedAt,
	}
	for _, a := range m.Attachments {
		r.Attachments = append(r.Attachments, attachmentRecord{
			Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256, ContentID: a.ContentID, Inline: a.Inline,
		})
	}
	return r
}

func (r *messageRecord) message() *ticket.Message {
	m := &ticket.Message{
		TicketID: r.TicketID, Seq: r.Seq, Direction: ticket.Direction(r.Direction), From: r.From,
		FromName: r.FromName, To: r.To, Cc: r.Cc, Subject: r.Subject, Text: r.Text, QuoteStart: r.QuoteStart, HTML: r.HTML,
		Author: r.Author, MessageID: r.MessageID, InReplyTo: r.InReplyTo, References: r.References,
		HasRaw: r.HasRaw, Auto: r.Auto, CreatedAt: r.CreatedAt,
	}
	for _, a := range r.Attachments {
		m.Attachments = append(m.Attachments, ticket.Attachment{
			Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256, ContentID: a.ContentID, Inline: a.Inline,
		})
	}
	return m
}
