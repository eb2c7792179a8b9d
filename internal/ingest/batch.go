package ingest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"newsbot/internal/extract"
	"newsbot/internal/store"
)

// BatchItem is the outcome of one article of a batch.
type BatchItem struct {
	Result Result
	Err    error
}

// IngestBatch ingests several articles for bulk loads (a feed backlog, an
// archive): extraction runs on every core, and beside the writing of the
// articles already extracted (the write takes them in order as they are
// ready), then all the articles commit in one write transaction with their statements and contradiction alerts, in
// the order given, exactly as Ingest would write them one by one (a later
// article sees the earlier ones: duplicates and merged quotes included).
// One fsync per batch instead of one per article is what makes it fast.
//
// An article that cannot be ingested (empty, over a limit) gets its error
// in its item and the others go on. Should the transaction itself fail,
// the articles are retried one at a time with Ingest, so one bad article
// never costs the batch. The error returned is ctx's, when the batch was
// cancelled before it was written; nothing was written then.
func (in *Ingester) IngestBatch(ctx context.Context, inputs []Input) ([]BatchItem, error) {
	items := make([]BatchItem, len(inputs))
	arts := make([]*pendingArticle, len(inputs))
	ready, extracted := in.extractAll(inputs, arts)

	in.mu.Lock()
	if err := ctx.Err(); err != nil {
		in.mu.Unlock()
		extracted()
		return nil, err
	}
	// As with Ingest, a batch whose lock was ours is written whole.
	wctx := context.WithoutCancel(ctx)
	stored := make([][]store.Alert, len(inputs))
	err := in.store.Update(wctx, func(tx *store.Tx) error {
		for i := range arts {
			<-ready[i]
			p := arts[i]
			if p.err != nil {
				continue
			}
			res, alerts, err := in.writeArticle(wctx, tx, p)
			if err != nil {
				return fmt.Errorf("article %d of the batch: %w", i+1, err)
			}
			items[i].Result, stored[i] = res, alerts
		}
		return nil
	})
	in.mu.Unlock()
	extracted() // a failed write may have stopped before the last articles
	if err != nil {
		in.log.Warn("batch ingest failed; ingesting its articles one by one", "articles", len(inputs), "err", err)
		for i := range inputs {
			if arts[i].err != nil {
				items[i] = BatchItem{Err: arts[i].err}
				continue
			}
			res, err := in.Ingest(wctx, inputs[i])
			items[i] = BatchItem{Result: res, Err: err}
		}
		return items, nil
	}
	for i := range items {
		if arts[i].err != nil {
			items[i].Err = arts[i].err
		} else if len(stored[i]) > 0 {
			items[i].Result.Alerts, items[i].Err = in.describe(wctx, stored[i])
			in.post(ctx, items[i].Result.Alerts)
		}
		if in.observe != nil {
			in.observe(items[i].Result, items[i].Err)
		}
	}
	return items, nil
}

// pendingArticle is an article extracted and ready to write.
type pendingArticle struct {
	art      store.Article
	prepared []prepared
	err      error
}

// extractAll starts preparing every input, spread over the cores, in the
// order given. ready[i] is closed once out[i] is set; wait returns when all
// of them are.
func (in *Ingester) extractAll(inputs []Input, out []*pendingArticle) (ready []chan struct{}, wait func()) {
	ready = make([]chan struct{}, len(inputs))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	workers := min(runtime.GOMAXPROCS(0), len(inputs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i] = in.prepareArticle(inputs[i])
				close(ready[i])
			}
		})
	}
	wg.Go(func() {
		for i := range inputs {
			next <- i
		}
		close(next)
	})
	return ready, wg.Wait
}

// prepareArticle checks, extracts and analyses one input: everything that
// needs no store.
func (in *Ingester) prepareArticle(inp Input) *pendingArticle {
	text := normaliseNewlines(inp.Text)
	if strings.TrimSpace(text) == "" {
		return &pendingArticle{err: ErrEmpty}
	}
	if n := utf8.RuneCountInString(text); in.limits.MaxChars > 0 && n > in.limits.MaxChars {
		return &pendingArticle{err: &LimitError{fmt.Sprintf("the article has %d characters, more than the limit of %d", n, in.limits.MaxChars)}}
	}
	p := &pendingArticle{art: store.Article{
		URL: inp.URL, File: inp.File, Outlet: inp.Outlet, Title: inp.Title, Author: inp.Author,
		Published: inp.Published.UTC(), Text: text, Extractor: joinNonEmpty("+", inp.Extractor, in.extractor.Name()),
		TextHash: TextHash(text),
	}}
	if p.art.Title == "" && inp.Headline {
		first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		p.art.Title = strings.TrimSpace(first)
	}
	p.art.ID = ArticleID(inp.URL, p.art.TextHash)
	found := in.extractor.Extract(extract.Document{Text: text, Headline: inp.Headline})
	if in.limits.MaxStatements > 0 && len(found) > in.limits.MaxStatements {
		return &pendingArticle{err: &LimitError{fmt.Sprintf("the article yields %d statements, more than the limit of %d", len(found), in.limits.MaxStatements)}}
	}
	p.prepared = make([]prepared, len(found))
	for i := range found {
		p.prepared[i] = prepare(in.terms, &found[i])
	}
	in.prepareChecks(found)
	return p
}

// writeArticle writes one prepared article inside tx, as Ingest does: a
// duplicate (same URL, same text) writes nothing.
func (in *Ingester) writeArticle(ctx context.Context, tx *store.Tx, p *pendingArticle) (Result, []store.Alert, error) {
	art := p.art // a copy: a retry must start from the prepared article
	res := Result{ArticleID: art.ID, Title: art.Title}
	if id, ok := tx.ArticleByURL(art.URL); ok && art.URL != "" {
		res.DuplicateOf, res.Duplicate = id, describeDuplicate(tx, id, "same URL")
		return res, nil, nil
	}
	if id, ok := tx.ArticleByTextHash(art.TextHash); ok {
		res.DuplicateOf, res.Duplicate = id, describeDuplicate(tx, id, "same text")
		return res, nil, nil
	}
	art.Ingested = in.now().UTC()
	if err := tx.PutArticle(&art); err != nil {
		return res, nil, err
	}
	fresh, merged, err := in.addStatements(tx, &art, p.prepared)
	if err != nil {
		return res, nil, err
	}
	res.New, res.Merged = len(fresh), merged
	// The contradiction check commits with the article: a crash can never
	// leave an article stored whose alerts were not raised.
	alerts, err := in.check(ctx, tx, fresh)
	return res, alerts, err
}

// Extractor is the extractor the Ingester uses.
func (in *Ingester) Extractor() extract.Extractor { return in.extractor }

// Checks reports whether new statements are checked for contradictions.
func (in *Ingester) Checks() bool { return in.checker != nil }
