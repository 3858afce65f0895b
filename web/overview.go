package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Overview is what the programme's overview pages need (issue 16): the municipality register,
// the map of the offers and the handbook. A nil service switches its pages off (feature.go).
type Overview struct {
	// Register keeps each municipality's and county authority's Digihjelpen offer.
	Register ticket.RegisterService
	// Counts counts tickets by place, for the register and the map's staff layers.
	Counts ticket.PlaceCounts
	// Units are the municipalities and county authorities the register has entries for.
	Units *ticket.RegisterUnits
	// Handbook keeps the handbook's articles, suggests them for questions and counts the
	// questions they answered before they were sent.
	Handbook ticket.HandbookService
	// Feedback keeps the requesters' answers to «Fikk du svar du kunne bruke?».
	Feedback ticket.FeedbackService
}

// isStaff reports whether the visitor is staff who work tickets (agents and admins): on pages
// open to everyone, only they see what the register keeps from the public (the map's layers).
// A reader (leser) sees what the public sees.
func isStaff(c *fiber.Ctx) bool {
	u := userFrom(c)
	return u != nil && u.Role.Allows(ticket.RoleAgent)
}
