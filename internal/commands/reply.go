package commands

import "time"

// Request is one command as a chat platform received it.
type Request struct {
	Platform string `json:"platform"` // "console", "slack", "matrix", "cli"
	User     string `json:"user"`     // platform user id
	Channel  string `json:"channel"`  // platform channel or room id
	Text     string `json:"text"`     // the command line, without any prefix ("who-said refugees")
	IsAdmin  bool   `json:"is_admin"`
	Thread   string `json:"thread,omitempty"`
	// Attachment is an uploaded file that comes with the command, if any.
	Attachment *Attachment `json:"-"`
}

// Attachment is a file a user uploaded with a command.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Reply is a structured answer. Adapters render it: Block Kit on Slack,
// HTML on Matrix, plain text on the console.
type Reply struct {
	Title string `json:"title"`
	// Text is a lead paragraph under the title.
	Text     string    `json:"text,omitempty"`
	Sections []Section `json:"sections,omitempty"`
	Actions  []Action  `json:"actions,omitempty"`
	// Ephemeral replies (help, errors) are shown only to the asker where the
	// platform can do that.
	Ephemeral bool `json:"ephemeral,omitempty"`
	// Error marks a refusal or failure; Text says why.
	Error bool `json:"error,omitempty"`
}

// Section is one block of a reply: a speaker with their statements, a
// story's timeline, a list of facts.
type Section struct {
	Heading string `json:"heading,omitempty"`
	// Subheading qualifies the heading (a speaker's role and affiliation).
	Subheading string      `json:"subheading,omitempty"`
	Fields     []Field     `json:"fields,omitempty"`
	Lines      []string    `json:"lines,omitempty"`
	Statements []Statement `json:"statements,omitempty"`
	Actions    []Action    `json:"actions,omitempty"`
}

// Field is a named value ("Statements: 42").
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Statement is a statement as shown to a reader, with every source that
// carried it.
type Statement struct {
	ID          string   `json:"id"`
	Speaker     string   `json:"speaker"`
	SpeakerRole string   `json:"speaker_role,omitempty"`
	Text        string   `json:"text"`
	Kind        string   `json:"kind"`
	Cue         string   `json:"cue,omitempty"`
	Sources     []Source `json:"sources"`
}

// Source is one article that carried a statement.
type Source struct {
	ArticleID string    `json:"article_id"`
	Outlet    string    `json:"outlet,omitempty"`
	Title     string    `json:"title,omitempty"`
	URL       string    `json:"url,omitempty"`  // link, when the article came from the web
	File      string    `json:"file,omitempty"` // file name, when it came from a file
	Published time.Time `json:"published,omitzero"`
	// Ingested is when the bot read it: the only date when Published is
	// unknown.
	Ingested time.Time `json:"ingested,omitzero"`
}

// Action is a button or follow-up command ("Confirm", "Dismiss").
type Action struct {
	// ID names what the action does ("alert.confirm").
	ID    string `json:"id"`
	Label string `json:"label"`
	// Value is the action's argument (an alert id).
	Value string `json:"value"`
	// Command is the command line that performs the action, for platforms
	// without buttons ("alert confirm A12").
	Command string `json:"command"`
	Style   string `json:"style,omitempty"` // "primary", "danger"
}
