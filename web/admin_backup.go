package web

import (
	"bufio"
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

func (s *Server) handleBackupPage(c *fiber.Ctx) error {
	return s.renderAdmin(c, "admin_backup", "sikkerhetskopi", pageData{Title: "Sikkerhetskopi"})
}

// handleBackupDownload streams a consistent copy of the database, taken while the server
// runs, and records who took it in the audit trail. It is a POST, so no link prefetch or
// cross-site page can start one.
func (s *Server) handleBackupDownload(c *fiber.Ctx) error {
	name := "digihjelpen-" + s.Now().In(ticket.Oslo).Format("2006-01-02-1504") + ".db"
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	// The copy is written after this handler returns, so it gets a context of its own with
	// the same actor rather than the request's.
	ctx := ticket.NewContextWithActor(context.Background(), ticket.ActorFromContext(c.UserContext()))
	backup, events, log := s.Backup, s.Events, s.Logger
	streamBody(c, log, "backup", func(w *bufio.Writer) {
		n, err := backup(ctx, w)
		if err == nil {
			err = w.Flush()
		}
		detail := fmt.Sprintf("sikkerhetskopi lastet ned (%d byte)", n)
		if err != nil {
			detail = "sikkerhetskopi avbrutt"
			log.Error("backup download failed", "bytes", n, "err", err)
		}
		if err := events.AddEvent(ctx, 0, ticket.EventBackup, detail); err != nil {
			log.Error("record backup event", "err", err)
		}
	})
	return nil
}
