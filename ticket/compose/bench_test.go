package compose_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// BenchmarkAck is the acknowledgement composed inside the transaction of every new ticket:
// with the default template, with one a rule named (18 templates held), and with a name that
// does not exist (the default, after the one warning).
func BenchmarkAck(b *testing.B) {
	c, _ := compose.New("kontakt@digihjelpen.ks.no", "https://digihjelpen.ks.no")
	c.SetLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	list := ticket.BuiltinAckTemplates()
	for i := range 16 {
		list = append(list, &ticket.AckTemplate{Name: fmt.Sprintf("mal-%d", i), Title: "Mal", Text: ticket.ReferAckText, Version: 1})
	}
	c.SetAckTemplates(list)
	first := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", MessageID: "<q@l>"}
	for _, template := range []string{"", "mal-7", "finnes-ikke"} {
		b.Run("template="+template, func(b *testing.B) {
			tk := composeTicket()
			tk.Template = template
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Ack(tk, first); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReply composes a reply in a long thread (60 messages, 20 mails sent).
func BenchmarkReply(b *testing.B) {
	c, _ := compose.New("kontakt@digihjelpen.ks.no", "https://digihjelpen.ks.no")
	tk := composeTicket()
	var thread []*ticket.Message
	var sent []*ticket.OutboundMail
	for i := range 60 {
		m := &ticket.Message{Seq: i + 1, Direction: ticket.DirectionIn, From: tk.Requester.Email, MessageID: fmt.Sprintf("<m%d@l>", i),
			Text: "Hei igjen, her er mer om saken.\nMvh Kari", CreatedAt: time.Unix(int64(i), 0)}
		if i%3 == 1 {
			m.Direction, m.To = ticket.DirectionOut, []string{tk.Requester.Email}
			sent = append(sent, &ticket.OutboundMail{Seq: i + 1, To: m.To, MessageID: m.MessageID})
		}
		thread = append(thread, m)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Reply(tk, thread, sent, compose.Draft{Text: "Her er svaret vårt.\nSe https://example.no/handbok"}); err != nil {
			b.Fatal(err)
		}
	}
}
