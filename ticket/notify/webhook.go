package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// webhookItems are the notifications of the batch that webhook w posts: the kinds it takes
// about the agencies it covers, one per ticket and kind. A team hears of every change, its own
// members' included: the channel is where the team sees what moves.
func webhookItems(b ticket.NotifyBatch, w *ticket.Webhook) []ticket.Notification {
	var out []ticket.Notification
	seen := map[string]int{}
	assigned := assignedInBatch(b)
	for _, ev := range b.Events {
		for _, n := range notifications(ev, b.Users, assigned) {
			if !w.Wants(n.Kind, n.Agency) || n.Kind == ticket.NotifyDueSoon && !ev.Ticket.FirstResponseAt.IsZero() {
				continue
			}
			k := toldKey(0, n)
			if i, dup := seen[k]; dup {
				if n.Event == ticket.EventAnswered {
					out[i] = n
				}
				continue
			}
			seen[k] = len(out)
			out = append(out, n)
		}
	}
	return out
}

// payloadItem is one notification in the JSON a webhook gets, for programs that read it.
type payloadItem struct {
	Kind    ticket.NotifyKind `json:"kind"`
	Ref     string            `json:"ref"`
	Subject string            `json:"subject"`
	Agency  string            `json:"agency"`
	Text    string            `json:"text"`
	URL     string            `json:"url"`
	At      time.Time         `json:"at"`
	Due     *time.Time        `json:"due,omitempty"`
}

// payloadData is what every post carries besides the part Teams or Slack shows.
type payloadData struct {
	Version       int           `json:"version"`
	Webhook       string        `json:"webhook"`
	Notifications []payloadItem `json:"notifications"`
}

// messageCard is a Microsoft Teams connector card whose "text" Slack shows too: both take the
// fields they know and leave the rest.
type messageCard struct {
	Type        string      `json:"@type"`
	Context     string      `json:"@context"`
	Summary     string      `json:"summary"`
	ThemeColor  string      `json:"themeColor"`
	Text        string      `json:"text"`
	Digihjelpen payloadData `json:"digihjelpen"`
}

// adaptiveMessage is a message with an Adaptive Card, as a Teams Workflows webhook takes it.
type adaptiveMessage struct {
	Type        string       `json:"type"`
	Attachments []attachment `json:"attachments"`
	Digihjelpen payloadData  `json:"digihjelpen"`
}

type attachment struct {
	ContentType string       `json:"contentType"`
	Content     adaptiveCard `json:"content"`
}

type adaptiveCard struct {
	Schema  string      `json:"$schema"`
	Type    string      `json:"type"`
	Version string      `json:"version"`
	Body    []textBlock `json:"body"`
}

type textBlock struct {
	Type   string `json:"type"`
	Text   string `json:"text"`
	Wrap   bool   `json:"wrap"`
	Weight string `json:"weight,omitempty"`
	Size   string `json:"size,omitempty"`
}

// post is the webhook post of items, in w's format.
func (p *Planner) post(w *ticket.Webhook, items []ticket.Notification, now time.Time) (*ticket.OutboundMail, error) {
	title := "Digihjelpen: " + plural(len(items), "varsel", "varsler")
	data := payloadData{Version: 1, Webhook: w.Name}
	var lines []string
	for i, n := range items {
		what := p.what(n, true)
		item := payloadItem{Kind: n.Kind, Ref: n.Ref.String(), Subject: n.Subject, Agency: n.Agency, Text: what, URL: p.link(n.Ref), At: n.At}
		if !n.Due.IsZero() {
			due := n.Due
			item.Due = &due
		}
		data.Notifications = append(data.Notifications, item)
		if i < MaxListed {
			lines = append(lines, fmt.Sprintf("%s %s: %s %s", n.Ref, what, n.Subject, item.URL))
		}
	}
	if len(items) > MaxListed {
		lines = append(lines, fmt.Sprintf("… og %s til: %s", plural(len(items)-MaxListed, "varsel", "varsler"), p.inboxLink()))
	}
	var body any
	switch w.Format {
	case ticket.WebhookAdaptiveCard:
		card := adaptiveCard{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.4",
			Body: []textBlock{{Type: "TextBlock", Text: title, Wrap: true, Weight: "Bolder", Size: "Medium"}}}
		for _, l := range lines {
			card.Body = append(card.Body, textBlock{Type: "TextBlock", Text: l, Wrap: true})
		}
		body = adaptiveMessage{Type: "message", Attachments: []attachment{{ContentType: "application/vnd.microsoft.card.adaptive", Content: card}}, Digihjelpen: data}
	default:
		body = messageCard{Type: "MessageCard", Context: "https://schema.org/extensions", Summary: title, ThemeColor: "0B5CAD",
			Text: escapeSlack(title + "\n\n" + strings.Join(lines, "\n\n")), Digihjelpen: data}
	}
	buf, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("webhook %d payload: %w", w.ID, err)
	}
	return &ticket.OutboundMail{Kind: ticket.MailWebhook, WebhookID: w.ID, To: []string{w.Name}, Subject: title,
		Text: string(buf), CreatedAt: now}, nil
}

// escapeSlack escapes what Slack reads as markup in "text" (its documented three).
func escapeSlack(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestPost is the post an admin sends to check a webhook: one made-up notification, marked as
// a test.
func (p *Planner) TestPost(w *ticket.Webhook, now time.Time) (*ticket.OutboundMail, error) {
	n := ticket.Notification{Kind: ticket.NotifyNewTicket, Ref: ticket.Ref{Year: now.In(ticket.Oslo).Year()}, Subject: "Test av webhooken «" + w.Name + "»",
		Agency: ticket.AgencyKS, At: now}
	return p.post(w, []ticket.Notification{n}, now)
}
