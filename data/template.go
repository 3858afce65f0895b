package data

import "github.com/ks-no/digihjelpen/ticket"

var bucketCanned = []byte("canned") // id -> canned response record

func init() { registerBuckets(bucketCanned) }

// TemplateService implements ticket.TemplateService: the admin-edited texts (acknowledgement
// templates in acktemplate*.go, canned responses in canned.go).
type TemplateService struct {
	db *DB
}

var _ ticket.TemplateService = (*TemplateService)(nil)

// NewTemplateService returns the texts of db.
func NewTemplateService(db *DB) *TemplateService { return &TemplateService{db: db} }
