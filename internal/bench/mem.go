package bench

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Memory is the process's resident memory, from /proc/self/status: Anon
// is the heap and stacks, File the pages of mapped files (the database)
// that are resident, which the kernel may drop and read again at will.
type Memory struct {
	RSSMB       float64 `json:"rss_mb"`
	RSSAnonMB   float64 `json:"rss_anon_mb"`
	RSSFileMB   float64 `json:"rss_file_mb"`
	HeapInuseMB float64 `json:"heap_inuse_mb"`
	// Known is false where /proc is not there (not Linux).
	Known bool `json:"known"`
}

// ReadMemory reads the current process's memory.
func ReadMemory() Memory {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := Memory{HeapInuseMB: mb(int64(ms.HeapInuse))}
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return m
	}
	m.Known = true
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(val)
		if len(f) == 0 {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case "VmRSS":
			m.RSSMB = mb(kb << 10)
		case "RssAnon":
			m.RSSAnonMB = mb(kb << 10)
		case "RssFile":
			m.RSSFileMB = mb(kb << 10)
		}
	}
	return m
}

func mb(b int64) float64 { return round(float64(b)/(1<<20), 1) }

// loadAvg is the 1-minute load average (0 where unknown).
func loadAvg() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}
