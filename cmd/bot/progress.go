package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progress reports a bulk ingest: one line per item, and on a terminal a
// status line kept at the bottom with done/total, rate and time left.
type progress struct {
	w     io.Writer
	tty   bool
	total int
	done  int
	start time.Time
	now   func() time.Time
	drawn bool
}

func newProgress(w io.Writer, total int) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, tty: tty, total: total, start: time.Now(), now: time.Now}
}

// item reports one item finished (or failed) with its line.
func (p *progress) item(line string) {
	p.done++
	p.clear()
	fmt.Fprintln(p.w, line)
	if p.tty && p.done < p.total {
		fmt.Fprint(p.w, p.status())
		p.drawn = true
	}
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// status is "[12/200] 3.4 items/s, about 55s left".
func (p *progress) status() string {
	elapsed := p.now().Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done) / elapsed.Seconds()
	}
	left := "time left unknown"
	if rate > 0 {
		left = "about " + (time.Duration(float64(p.total-p.done)/rate) * time.Second).Round(time.Second).String() + " left"
	}
	return fmt.Sprintf("[%d/%d] %.1f items/s, %s", p.done, p.total, rate, left)
}

// rate is the items per second so far, for the summary.
func (p *progress) rate() string {
	elapsed := p.now().Sub(p.start).Seconds()
	if elapsed <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f items/s", float64(p.done)/elapsed)
}
