package bench

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsbot/internal/store"
)

// Baseline is what bleve measured on the same statements and topics.
type Baseline struct {
	Version    string `json:"version"`
	Statements int    `json:"statements"`
	// BatchStatements is the statements indexed in one bleve batch.
	BatchStatements     int     `json:"batch_statements"`
	IndexStatementsPerS float64 `json:"index_statements_per_s"`
	// IndexStatementsPerCPUS is per second of processor time spent in its
	// batches (bleve analyses a batch on every core).
	IndexStatementsPerCPUS float64 `json:"index_statements_per_cpu_s"`
	IndexBytes             int64   `json:"index_bytes"`
	QueryP50               float64 `json:"who_said_p50_ms"`
	QueryP99               float64 `json:"who_said_p99_ms"`
	QueryMax               float64 `json:"who_said_max_ms"`
}

// bleveVersion is the module version go.mod pins.
const bleveVersion = "v2.6.3"

// bleveDoc is a statement as a bleve document: its words, the sentence
// around them, who said it and where, stored for the reply.
type bleveDoc struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
	Context string `json:"context"`
	Title   string `json:"title"`
	Outlet  string `json:"outlet"`
}

func bleveMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	doc := bleve.NewDocumentMapping()
	add := func(name string, stored, indexed bool) {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store, f.Index = stored, indexed
		f.IncludeInAll = false
		doc.AddFieldMappingsAt(name, f)
	}
	add("speaker", true, true)
	add("text", true, true)
	add("context", false, true)
	add("title", true, false)
	add("outlet", true, false)
	m.DefaultMapping = doc
	return m
}

// runBleve indexes the archive's statements in bleve, in batches as a bulk
// load would, and runs the same who-said topics: every word in the
// statement's words or its sentence, the words weighing more, the best 20
// with their stored fields, as who-said shows them.
func runBleve(ctx context.Context, cfg Config, archive string, topics []string) (*Baseline, error) {
	st, err := store.Open(archive, store.Options{ReadOnly: true, Logger: cfg.Log})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	path := filepath.Join(cfg.Dir, "bleve")
	idx, err := bleve.New(path, bleveMapping())
	if err != nil {
		return nil, fmt.Errorf("bleve: %w", err)
	}
	defer idx.Close()

	b := &Baseline{Version: bleveVersion}
	var indexing time.Duration
	var cpu float64
	// As many statements a batch as newsbot writes in one transaction of
	// the archive, so neither side gains from a larger batch.
	batchSize := max(1, cfg.GenBatch*cfg.Statements/max(1, cfg.Articles))
	b.BatchStatements = batchSize
	batch := idx.NewBatch()
	flush := func() error {
		t0, cpu0 := time.Now(), cpuSeconds()
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("bleve batch: %w", err)
		}
		indexing += time.Since(t0)
		cpu += cpuSeconds() - cpu0
		batch.Reset()
		return ctx.Err()
	}
	err = st.View(ctx, func(tx *store.Tx) error {
		speakers := map[uint64]string{}
		type art struct{ title, outlet string }
		articles := map[string]art{}
		return tx.ForEachStatement(func(s *store.Statement) error {
			name, ok := speakers[s.SpeakerID]
			if !ok {
				sp, _, err := tx.Speaker(s.SpeakerID)
				if err != nil {
					return err
				}
				name = sp.Name
				speakers[s.SpeakerID] = name
			}
			d := bleveDoc{Speaker: name, Text: s.Text}
			if len(s.Sources) > 0 {
				src := s.Sources[0]
				d.Context = src.Sentence
				a, ok := articles[src.ArticleID]
				if !ok {
					full, _, err := tx.Article(src.ArticleID)
					if err != nil {
						return err
					}
					a = art{full.Title, full.Outlet}
					articles[src.ArticleID] = a
				}
				d.Title, d.Outlet = a.title, a.outlet
			}
			if err := batch.Index(strconv.FormatUint(s.ID, 10), d); err != nil {
				return fmt.Errorf("bleve: %w", err)
			}
			b.Statements++
			if batch.Size() >= batchSize {
				return flush()
			}
			return nil
		})
	})
	if err == nil && batch.Size() > 0 {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	b.IndexStatementsPerS = round(float64(b.Statements)/indexing.Seconds(), 0)
	b.IndexStatementsPerCPUS = perCPU(b.Statements, cpu)
	b.IndexBytes = dirSize(path)

	rng := rand.New(rand.NewPCG(cfg.Seed, 7)) // the same topics, in the same order, as newsbot's run
	ask := func(topic string) (time.Duration, error) {
		t0 := time.Now()
		req := bleve.NewSearchRequestOptions(bleveQuery(topic), 20, 0, false)
		req.Fields = []string{"speaker", "text", "title", "outlet"}
		_, err := idx.SearchInContext(ctx, req)
		return time.Since(t0), err
	}
	for range 20 {
		if _, err := ask(topics[rng.IntN(len(topics))]); err != nil {
			return nil, fmt.Errorf("bleve search: %w", err)
		}
	}
	lat := make([]time.Duration, 0, cfg.Queries)
	for range cfg.Queries {
		took, err := ask(topics[rng.IntN(len(topics))])
		if err != nil {
			return nil, fmt.Errorf("bleve search: %w", err)
		}
		lat = append(lat, took)
	}
	l := latency(lat)
	b.QueryP50, b.QueryP99, b.QueryMax = l.P50, l.P99, l.Max
	return b, nil
}

// bleveQuery asks for every word in the words (weight 1) or the sentence
// (weight 0.4), as the store's search does.
func bleveQuery(topic string) query.Query {
	var words []query.Query
	for _, w := range strings.Fields(topic) {
		inText := bleve.NewMatchQuery(w)
		inText.SetField("text")
		inContext := bleve.NewMatchQuery(w)
		inContext.SetField("context")
		inContext.SetBoost(0.4)
		words = append(words, bleve.NewDisjunctionQuery(inText, inContext))
	}
	return bleve.NewConjunctionQuery(words...)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
