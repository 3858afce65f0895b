package ticket

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTemplateLen bounds an admin-edited text (acknowledgement, canned response).
const MaxTemplateLen = 10_000

// MaxAckTitleLen bounds the title of an acknowledgement template.
const MaxAckTitleLen = 80

// DefaultAckTemplateName is the acknowledgement every new ticket gets unless a routing rule
// names another (template = "…"). It cannot be deleted.
const DefaultAckTemplateName = "standard"

// ReferAckTemplateName is the built-in acknowledgement for questions the rules send straight
// to another agency: it says the question will go on to them.
const ReferAckTemplateName = "henvisning"

// DefaultAckText is the default acknowledgement until an admin saves another text.
const DefaultAckText = `Hei {navn},

takk for spørsmålet ditt til Digihjelpen kontaktpunkt. Vi har registrert det som sak {saksnummer}, og svarer deg så snart vi kan.

Her kan du følge saken:
{statuslenke}

Vil du legge til noe, svarer du bare på denne e-posten. La saksnummeret stå i emnefeltet.

Vennlig hilsen
Digihjelpen kontaktpunkt i KS`

// ReferAckText is the built-in text of ReferAckTemplateName.
const ReferAckText = `Hei {navn},

takk for spørsmålet ditt til Digihjelpen kontaktpunkt. Vi har registrert det som sak {saksnummer}.

Spørsmålet ser ut til å gjelde noe {etat} har ansvaret for. Vi går gjennom det og sender det videre til dem, så du slipper å sende det på nytt. Kan vi svare deg selv, gjør vi det.

Her kan du følge saken og se når den er sendt videre:
{statuslenke}

Vil du legge til noe, svarer du bare på denne e-posten. La saksnummeret stå i emnefeltet.

Vennlig hilsen
Digihjelpen kontaktpunkt i KS`

// AckTemplate is one acknowledgement template: the text a new ticket's requester gets.
// Routing rules pick one by Name; DefaultAckTemplateName serves every other ticket. Admins
// edit them; every save is a new version, kept with who saved it, and a deletion is a version
// too, so the history stays.
type AckTemplate struct {
	// Name is what rules use (template = "henvisning"); it never changes.
	Name string
	// Title is what admins see in lists, e.g. «Sendes videre til etat».
	Title     string
	Text      string
	Version   int // 0 is a built-in text never saved
	UpdatedBy string
	UpdatedAt time.Time
	// Deleted marks the version that deleted the template.
	Deleted bool
}

// BuiltinAckTemplates are the acknowledgements shipped with the program (version 0): the
// default and the one for questions routed straight to another agency. The default rules use
// only these.
func BuiltinAckTemplates() []*AckTemplate {
	return []*AckTemplate{
		DefaultAckTemplate(),
		{Name: ReferAckTemplateName, Title: "Sendes videre til etat", Text: ReferAckText},
	}
}

// DefaultAckTemplate is the built-in default acknowledgement, version 0.
func DefaultAckTemplate() *AckTemplate {
	return &AckTemplate{Name: DefaultAckTemplateName, Title: "Standard", Text: DefaultAckText}
}

// IsDefault reports whether a is the default acknowledgement.
func (a *AckTemplate) IsDefault() bool { return a.Name == DefaultAckTemplateName }

var ackTemplateName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// ValidAckTemplateName reports whether name can name an acknowledgement template: lower-case
// a–z, digits, - and _, at most 40 characters, so it reads the same in a rules file.
func ValidAckTemplateName(name string) bool { return ackTemplateName.MatchString(name) }

// Normalize trims the title and text and gives the text Unix line ends, as it is stored.
func (a *AckTemplate) Normalize() {
	a.Name = strings.TrimSpace(a.Name)
	a.Title = strings.TrimSpace(a.Title)
	a.Text = strings.TrimSpace(strings.ReplaceAll(a.Text, "\r\n", "\n"))
}

// Validate checks a template before it is saved: a valid name, a title, and a text that gives
// the reference and the status link, uses known placeholders only and is of reasonable length.
// It returns FieldErrors for the fields name, title and text.
func (a *AckTemplate) Validate() error {
	var errs FieldErrors
	if !ValidAckTemplateName(a.Name) {
		errs = append(errs, FieldError("name", "Malnavnet kan bare ha små bokstaver a–z, sifre, - og _ (høyst 40 tegn, uten mellomrom), for eksempel «henvisning-nav»."))
	}
	switch title := strings.TrimSpace(a.Title); {
	case title == "":
		errs = append(errs, FieldError("title", "Gi malen en tittel, så den er lett å kjenne igjen."))
	case utf8.RuneCountInString(title) > MaxAckTitleLen:
		errs = append(errs, FieldError("title", "Tittelen kan være høyst %d tegn.", MaxAckTitleLen))
	}
	if err := validateAckText(a.Text); err != nil {
		errs = append(errs, err)
	}
	return errs.Err()
}

func validateAckText(text string) *Error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return FieldError("text", "Skriv teksten i kvitteringen.")
	case utf8.RuneCountInString(text) > MaxTemplateLen:
		return FieldError("text", "Teksten kan være høyst %d tegn.", MaxTemplateLen)
	case !strings.Contains(text, "{saksnummer}"):
		return FieldError("text", "Teksten må ha med {saksnummer}, så innsenderen vet hvilken sak det gjelder.")
	case !strings.Contains(text, "{statuslenke}"):
		return FieldError("text", "Teksten må ha med {statuslenke}, så innsenderen kan følge saken.")
	}
	return checkPlaceholders("text", text)
}

// AckUse says which template an acknowledgement was made with, for the ticket's history.
type AckUse struct {
	Name    string
	Title   string
	Version int
	// Asked is the template the routing rules named when it did not exist and the default
	// was used instead; "" otherwise.
	Asked string
}

// EventAcknowledged records on a ticket which template its acknowledgement was made with: To
// is the template's name, From the name the rules asked for when that one did not exist, and
// Detail its title and version.
const EventAcknowledged EventKind = "acknowledged"

// TemplateRef is a routing rule that names an acknowledgement template, with the line of its
// template key.
type TemplateRef struct {
	Rule     string
	Line     int
	Template string
}

// ErrDeleteDefaultAck refuses to delete the default acknowledgement.
var ErrDeleteDefaultAck = Errorf(EINVALID, "Standardkvitteringen kan ikke slettes: den brukes for alle saker der ingen regel velger en annen mal.")
