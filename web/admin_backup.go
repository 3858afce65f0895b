package web

import (
	"context"
	"fmt"
	"io"

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
	backup, events, log := s.Backup, s.Events, s.Logger
	return s.streamBody(c, "backup", func(ctx context.Context, w io.Writer) error {
		n, err := backup(ctx, w)
		detail := fmt.Sprintf("sikkerhetskopi lastet ned (%d byte)", n)
		if err != nil {
			detail = "sikkerhetskopi avbrutt"
		}
		// recorded also when ctx has ended (the client went away, the server stops)
		if err := events.AddEvent(context.WithoutCancel(ctx), 0, ticket.EventBackup, detail); err != nil {
			log.Error("record backup event", "err", err)
		}
		return err
	})
}
