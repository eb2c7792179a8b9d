// Package ingest is the store's only writer. It turns an article into
// statements (through an extract.Extractor), merges speakers and quotes
// already known, and commits the article with all its statements, index
// entries and the contradiction alerts its new statements raise in one
// transaction; then it hands the alerts to the notifier.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbot/internal/extract"
	"newsbot/internal/notify"
	"newsbot/internal/store"
	"newsbot/internal/textindex"
)

// Input is one article to ingest.
type Input struct {
	// Text is the article: when Headline is set its first line is the
	// headline, then paragraphs separated by blank lines or newlines.
	Text      string
	Headline  bool
	Title     string // overrides the headline line
	URL       string // canonical URL, when it came from the web
	File      string // file name, when it came from a file
	Outlet    string
	Author    string
	Published time.Time
	Extractor string // HTML extractor used upstream, if any ("trafilatura")
}

// Result says what an ingest did.
type Result struct {
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	// DuplicateOf is set when the article was already stored (same URL or
	// same text): nothing was written.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Duplicate describes the article DuplicateOf names, and why it is the
	// same one.
	Duplicate *Duplicate `json:"duplicate,omitempty"`
	// New statements created, and Merged: statements already known (the same
	// quote from another outlet) that gained this article as a source.
	New    int            `json:"new"`
	Merged int            `json:"merged"`
	Alerts []notify.Alert `json:"alerts,omitempty"`
}

// Checker finds contradictions between freshly stored statements and
// earlier ones. It runs inside the article's write transaction and returns
// the alerts to store; pairs already alerted are skipped by the ingester.
type Checker interface {
	Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error)
}

// Limits bound what one article may hold.
type Limits struct {
	MaxChars      int // 0: no limit
	MaxStatements int // 0: no limit
}

// Ingester ingests articles. It is safe for concurrent use; writes are
// serialised, queries on the same store go on meanwhile.
type Ingester struct {
	store     *store.Store
	extractor extract.Extractor
	checker   Checker
	notifier  notify.Notifier
	limits    Limits
	now       func() time.Time
	log       *slog.Logger
	observe   func(Result, error)
	terms     *textindex.Analyzer // shared by the Ingesters derived from this one
	mu        sync.Mutex          // one article at a time, so merges see each other
}

// analyzerWords bounds the words whose terms an Ingester remembers: about
// 10 MB, more than a year of a newsroom's vocabulary bar its rarest names.
const analyzerWords = 100_000

// SetObserver sets a function told the outcome of every ingest (metrics).
// Set it before the Ingester is shared.
func (in *Ingester) SetObserver(fn func(Result, error)) { in.observe = fn }

// Options configure an Ingester. Store and Extractor are required.
type Options struct {
	Store     *store.Store
	Extractor extract.Extractor
	Checker   Checker         // nil: no contradiction checks
	Notifier  notify.Notifier // nil: alerts are stored, not posted
	Limits    Limits
	Now       func() time.Time
	Logger    *slog.Logger
}

// New returns an Ingester.
func New(o Options) *Ingester {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Ingester{store: o.Store, extractor: o.Extractor, checker: o.Checker, notifier: o.Notifier,
		limits: o.Limits, now: o.Now, log: o.Logger, terms: textindex.NewAnalyzer(analyzerWords)}
}

// Store is the store written to.
func (in *Ingester) Store() *store.Store { return in.store }

// ErrEmpty is returned for an article with no text.
var ErrEmpty = errors.New("the article has no text")

// Ingest extracts, stores and checks one article.
func (in *Ingester) Ingest(ctx context.Context, inp Input) (res Result, err error) {
	if in.observe != nil {
		defer func() { in.observe(res, err) }()
	}
	// Extraction is pure and the slow part: do it before taking the lock.
	p := in.prepareArticle(inp)
	if p.err != nil {
		return Result{}, p.err
	}

	in.mu.Lock()
	defer in.mu.Unlock()
	// From here on the article is written whole even when ctx is cancelled
	// (a shutdown): it commits with its statements and their contradiction
	// check, or, if cancelled before the lock was ours, not at all.
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	wctx := context.WithoutCancel(ctx)
	var stored []store.Alert
	err = in.store.Update(wctx, func(tx *store.Tx) error {
		var err error
		res, stored, err = in.writeArticle(wctx, tx, p)
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("store article: %w", err)
	}
	if len(stored) == 0 {
		return res, nil
	}
	res.Alerts, err = in.describe(wctx, stored)
	if err != nil {
		return res, err
	}
	in.post(ctx, res.Alerts)
	return res, nil
}

// check runs the checker on the fresh statements inside the article's
// write transaction and stores the alerts it finds, each pair once.
func (in *Ingester) check(ctx context.Context, tx *store.Tx, fresh []*store.Statement) ([]store.Alert, error) {
	if in.checker == nil || len(fresh) == 0 {
		return nil, nil
	}
	alerts, err := in.runChecker(ctx, tx, fresh)
	if err != nil {
		return nil, fmt.Errorf("check contradictions: %w", err)
	}
	var stored []store.Alert
	for i := range alerts {
		al := alerts[i]
		if _, dup := tx.AlertForPair(al.New, al.Old); dup {
			continue
		}
		al.Created = in.now().UTC()
		al.State = store.AlertOpen
		if err := tx.AddAlert(&al); err != nil {
			return nil, err
		}
		stored = append(stored, al)
	}
	return stored, nil
}

// describe turns stored alerts into messages quoting both claims.
func (in *Ingester) describe(ctx context.Context, stored []store.Alert) ([]notify.Alert, error) {
	var out []notify.Alert
	err := in.store.View(ctx, func(tx *store.Tx) error {
		for _, al := range stored {
			msg, err := AlertMessage(tx, al)
			if err != nil {
				return err
			}
			out = append(out, msg)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("describe alerts: %w", err)
	}
	return out, nil
}

// post hands the alerts to the notifier. A failure is logged: the alert is
// stored, and adapters that must deliver it keep their own record of what
// they still owe.
func (in *Ingester) post(ctx context.Context, alerts []notify.Alert) {
	if in.notifier == nil {
		return
	}
	for _, msg := range alerts {
		if err := in.notifier.Post(ctx, msg); err != nil {
			in.log.Error("posting alert failed", "alert", msg.ID, "err", err)
		}
	}
}

// AlertMessage describes a stored alert with both claims.
func AlertMessage(tx *store.Tx, al store.Alert) (notify.Alert, error) {
	msg := notify.Alert{ID: store.AlertRef(al.ID), Score: al.Score, Reasons: al.Reasons, SameSpeaker: al.SameSpeaker}
	var err error
	if msg.New, err = claim(tx, al.New); err != nil {
		return msg, err
	}
	msg.Old, err = claim(tx, al.Old)
	return msg, err
}

func claim(tx *store.Tx, id uint64) (notify.Claim, error) {
	st, ok, err := tx.Statement(id)
	if err != nil {
		return notify.Claim{}, err
	}
	if !ok {
		return notify.Claim{}, fmt.Errorf("statement %s: %w", store.StatementRef(id), store.ErrNotFound)
	}
	c := notify.Claim{StatementID: store.StatementRef(id), Text: st.Text, Kind: st.Kind}
	if sp, ok, err := tx.Speaker(st.SpeakerID); err != nil {
		return c, err
	} else if ok {
		c.Speaker, c.SpeakerRole = sp.Name, joinNonEmpty(", ", sp.Role, sp.Affiliation)
	}
	if len(st.Sources) > 0 {
		src := st.Sources[0]
		a, ok, err := tx.Article(src.ArticleID)
		if err != nil {
			return c, err
		}
		if ok {
			c.ArticleID, c.Outlet, c.Title, c.Published = a.ID, a.Outlet, a.Title, a.Published
			c.Article = joinNonEmpty("", a.URL)
			if c.Article == "" {
				c.Article = a.File
			}
			if c.Article == "" {
				c.Article = a.ID
			}
		}
	}
	return c, nil
}

// prepared is an extracted statement with its index terms computed.
type prepared struct {
	st        *extract.Statement
	terms     []string
	context   []string
	entities  []string
	quoteHash string
}

func prepare(a *textindex.Analyzer, st *extract.Statement) prepared {
	p := prepared{st: st, terms: a.Terms(st.Text), quoteHash: QuoteHash(st.Text)}
	in := make(map[string]bool, len(p.terms))
	for _, t := range p.terms {
		in[t] = true
	}
	for _, t := range a.Terms(st.Sentence) {
		if !in[t] {
			p.context = append(p.context, t)
		}
	}
	p.entities = Entities(st.Sentence)
	return p
}

// addStatements stores the article's statements, merging speakers and
// quotes already known. It returns the new statements and the count of
// known statements that gained this article as a source.
func (in *Ingester) addStatements(tx *store.Tx, art *store.Article, ps []prepared) (fresh []*store.Statement, merged int, err error) {
	speakers := map[string]uint64{} // within this article: canonical name → id
	for _, p := range ps {
		key := string(p.st.Speaker.Type) + "\x00" + p.st.Speaker.Name
		spID, ok := speakers[key]
		if !ok {
			if spID, err = resolveSpeaker(tx, p.st.Speaker, art.ID); err != nil {
				return nil, 0, err
			}
			speakers[key] = spID
		}
		src := store.Source{ArticleID: art.ID, Start: p.st.Start, End: p.st.End, Mention: p.st.Speaker.Mention,
			Cue: p.st.Cue, Sentence: p.st.Sentence, Date: art.Date()}
		if known, ok, err := sameQuote(tx, p.quoteHash, spID, art.ID); err != nil {
			return nil, 0, err
		} else if ok {
			if known != 0 {
				if _, err := tx.AddSource(known, src); err != nil {
					return nil, 0, err
				}
				merged++
			}
			continue
		}
		st := store.Statement{SpeakerID: spID, Text: p.st.Text, Kind: string(p.st.Kind), Cue: p.st.Cue,
			Sources: []store.Source{src}, Terms: p.terms, ContextTerms: p.context, Entities: p.entities,
			QuoteHash: p.quoteHash}
		if err := tx.AddStatement(&st); err != nil {
			return nil, 0, err
		}
		fresh = append(fresh, &st)
	}
	return fresh, merged, nil
}

// sameQuote looks for a stored statement with the same words by the same
// speaker (or by a speaker left unresolved on either side). ok with id 0
// means this article already carries it: nothing to add.
func sameQuote(tx *store.Tx, hash string, speaker uint64, article string) (uint64, bool, error) {
	if hash == "" {
		return 0, false, nil
	}
	for _, id := range tx.StatementsByQuote(hash) {
		st, ok, err := tx.Statement(id)
		if err != nil || !ok {
			return 0, false, err
		}
		same := st.SpeakerID == speaker
		if !same {
			if same, err = eitherUnresolved(tx, st.SpeakerID, speaker); err != nil {
				return 0, false, err
			}
		}
		if !same {
			continue
		}
		for _, s := range st.Sources {
			if s.ArticleID == article {
				return 0, true, nil
			}
		}
		return id, true, nil
	}
	return 0, false, nil
}

func eitherUnresolved(tx *store.Tx, a, b uint64) (bool, error) {
	for _, id := range []uint64{a, b} {
		sp, ok, err := tx.Speaker(id)
		if err != nil {
			return false, err
		}
		if ok && sp.Type == string(extract.Unknown) {
			return true, nil
		}
	}
	return false, nil
}

// ArticleID is the id of an article: a hash of its canonical URL, or of its
// normalised text when it has none.
func ArticleID(url, textHash string) string {
	if url != "" {
		sum := sha256.Sum256([]byte(url))
		return hex.EncodeToString(sum[:8])
	}
	return textHash[:16]
}

// TextHash hashes an article's words, ignoring case, punctuation and
// spacing, so the same text pasted twice is recognised.
func TextHash(text string) string { return hashWords(text) }

// QuoteHash hashes a statement's words the same way.
func QuoteHash(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	return hashWords(text)[:24]
}

func hashWords(text string) string {
	h := sha256.New()
	var buf [utf8.UTFMax]byte
	space, wrote := false, false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && wrote {
				h.Write([]byte{' '})
			}
			space, wrote = false, true
			n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
			h.Write(buf[:n])
		} else if r != '\'' && r != '’' {
			space = true
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func normaliseNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
