package quoteeval

import (
	"context"
	"testing"

	"newsbot/internal/extract"
	"newsbot/internal/sharedtest"
)

func TestPolNeARDev(t *testing.T) {
	// floors are 0.02 under the figures the extractor reached on PolNeAR dev
	// (docs/extraction.md); the test fails when a change drops below them.
	devFloors := []struct {
		subset, kind, metric string
		min                  float64
	}{
		{"speech", "direct+mixed", "precision", 0.955},
		{"speech", "direct+mixed", "recall", 0.837},
		{"speech", "all", "f1", 0.843},
		{"speech", "all", "pair_f1", 0.839},
		{"speech", "all", "speaker_accuracy", 0.952},
		{"all", "all", "f1", 0.607},
	}
	path := sharedtest.Path(t, "eval/polnear/dev.jsonl")
	arts, err := ReadGoldFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), extract.New(), arts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range devFloors {
		row := rep.Get(f.subset, f.kind)
		got := map[string]float64{"precision": row.Precision, "recall": row.Recall, "f1": row.F1,
			"pair_f1": row.PairF1, "speaker_accuracy": row.SpeakerAcc}[f.metric]
		t.Logf("%s %s %s = %.3f (floor %.3f)", f.subset, f.kind, f.metric, got, f.min)
		if got < f.min {
			t.Errorf("%s %s %s = %.3f, below the floor %.3f", f.subset, f.kind, f.metric, got, f.min)
		}
	}
}
