package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"parc/internal/app"
	"parc/internal/demo"
	"parc/internal/record"
	"parc/internal/store"
)

// MemoryOptions tune `parc bench memory`.
type MemoryOptions struct {
	ImportLines int // computers imported from CSV, in files of at most record.MaxImportRows lines (100,000)
	BulkRecords int // imported computers then changed by bulk updates of record.MaxBulk (10,000)
	// Start serves a new store after loading the demo into it, as `parc serve
	// --demo` does (ProcessStarter(exe, "--demo")); nil loads it and serves in
	// this process.
	Start StartFunc
	Mode  string
	Log   io.Writer
	// Settle is the wait after the last step before the idle reading (5s).
	Settle time.Duration
}

// MemoryStep is one measured step and the server's resident memory over it.
type MemoryStep struct {
	Name string
	Took time.Duration
	// Peak is VmHWM read after the step, the peak having been reset before it
	// (/proc/PID/clear_refs); when the kernel refused the reset, it is the peak
	// since the server started.
	Peak    int64
	Sampled int64  // the largest VmRSS sampled during the step
	Before  int64  // VmRSS when it began: the least its peak can be
	After   Memory // right after it
	Outcome string // what the server answered
}

// MemoryResult is what `parc bench memory` measured.
type MemoryResult struct {
	Store, Mode string
	PeakReset   bool // each step's peak is its own, not the peak since start
	Steps       []MemoryStep
	Idle        Memory // Settle after the last step
	Settle      time.Duration
}

// RunMemory serves a new store with the demo loaded at start, then imports
// opt.ImportLines computers from CSV through the API (each file checked by a dry
// run first, then imported) and changes opt.BulkRecords of them by bulk updates,
// reading the server's peak resident memory over each step.
func RunMemory(ctx context.Context, cfg store.Config, opt MemoryOptions) (*MemoryResult, error) {
	if opt.ImportLines <= 0 {
		opt.ImportLines = 100000
	}
	if opt.BulkRecords <= 0 {
		opt.BulkRecords = 10000
	}
	if opt.BulkRecords > opt.ImportLines {
		return nil, fmt.Errorf("bulk updates change imported computers: at most %d, not %d", opt.ImportLines, opt.BulkRecords)
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Settle <= 0 {
		opt.Settle = 5 * time.Second
	}
	if opt.Start == nil {
		// Tests: the figures are then this process's, load generator included.
		opt.Start, opt.Mode = startWithDemo, "in-process"
	}
	res := &MemoryResult{Mode: opt.Mode, Settle: opt.Settle}
	fmt.Fprintln(opt.Log, "starting the server on a new store, with the demo")
	srv, err := opt.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	m, err := ReadMemory(srv.PID)
	if err != nil {
		return nil, err
	}
	res.Steps = append(res.Steps, MemoryStep{Name: "start with --demo (demo loaded, then ready)", Took: srv.Startup, Peak: m.HWM, After: m, Outcome: "ready"})
	res.Steps[0].log(opt.Log)

	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	defer a.Close()
	res.Store = string(a.DB.Dialect)
	var adminID int64
	if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", demo.AdminLogin).Scan(&adminID); err != nil {
		return nil, fmt.Errorf("the demo's administrator: %w (was the demo loaded?)", err)
	}
	token, _, err := a.Auth.CreateToken(ctx, adminID, "bench memory", 24*time.Hour)
	if err != nil {
		return nil, err
	}
	c := NewClient(srv.URL, token, 1)
	c.HTTP.Timeout = 10 * time.Minute

	files, err := importFiles(ctx, c, opt.ImportLines)
	if err != nil {
		return nil, err
	}
	res.PeakReset = resetPeak(srv.PID) == nil
	for i, f := range files {
		for _, dry := range []bool{true, false} {
			name := fmt.Sprintf("CSV import, file %d of %d (%d lines, %.1f MB)", i+1, len(files), f.lines, float64(len(f.body))/(1<<20))
			path, want := "/api/v1/computers/import", http.StatusCreated
			if dry {
				name, path, want = name+", dry run", path+"?dry_run=1", http.StatusOK
			}
			fmt.Fprintln(opt.Log, name)
			st, err := measureStep(srv, name, func() (string, error) {
				b, err := c.send(ctx, http.MethodPost, path, "text/csv", f.body, want)
				if err != nil {
					return "", err
				}
				var out struct{ Rows, Created int }
				if err := json.Unmarshal(b, &out); err != nil {
					return "", err
				}
				if out.Rows != f.lines || (!dry && out.Created != f.lines) {
					return "", fmt.Errorf("%s: %d rows read, %d created", name, out.Rows, out.Created)
				}
				if dry {
					return fmt.Sprintf("%d rows checked, nothing written", out.Rows), nil
				}
				return fmt.Sprintf("%d rows read, %d created", out.Rows, out.Created), nil
			})
			if err != nil {
				return nil, err
			}
			res.Steps = append(res.Steps, st)
			st.log(opt.Log)
		}
	}
	files = nil // their 35 MB are the load generator's, not to be kept through the rest

	// The computers the import created, in batches of the most a bulk update takes.
	rows, err := a.DB.QueryContext(ctx, "SELECT id FROM computers WHERE inventory_number LIKE 'MEM-%' ORDER BY id LIMIT ?", opt.BulkRecords)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	requests := (len(ids) + record.MaxBulk - 1) / record.MaxBulk
	name := fmt.Sprintf("bulk update of %d computers (%d requests of up to %d)", len(ids), requests, record.MaxBulk)
	fmt.Fprintln(opt.Log, name)
	st, err := measureStep(srv, name, func() (string, error) {
		updated := 0
		for start := 0; start < len(ids); start += record.MaxBulk {
			body, _ := json.Marshal(map[string]any{"ids": ids[start:min(start+record.MaxBulk, len(ids))],
				"values": map[string]any{"comment": "Checked at the yearly inventory"}})
			b, err := c.send(ctx, http.MethodPatch, "/api/v1/computers/bulk", "application/json", body, http.StatusOK)
			if err != nil {
				return "", err
			}
			var out struct{ Updated int }
			if err := json.Unmarshal(b, &out); err != nil {
				return "", err
			}
			updated += out.Updated
		}
		if updated != len(ids) {
			return "", fmt.Errorf("bulk update: %d of %d updated", updated, len(ids))
		}
		return fmt.Sprintf("%d updated", updated), nil
	})
	if err != nil {
		return nil, err
	}
	res.Steps = append(res.Steps, st)
	st.log(opt.Log)

	// Every computer exported, as a workbook and as a French office's CSV: both
	// are streamed, so their peaks must not grow with the number of computers.
	for _, x := range []struct{ name, path string }{
		{"XLSX export of every computer", "/api/v1/computers/export?format=xlsx&style=user"},
		{"CSV export of every computer (user's style)", "/api/v1/computers/export?format=csv&style=user"},
	} {
		fmt.Fprintln(opt.Log, x.name)
		st, err := measureStep(srv, x.name, func() (string, error) {
			n, err := c.download(ctx, x.path)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%.1f MB written", float64(n)/(1<<20)), nil
		})
		if err != nil {
			return nil, err
		}
		res.Steps = append(res.Steps, st)
		st.log(opt.Log)
	}
	time.Sleep(opt.Settle)
	if res.Idle, err = ReadMemory(srv.PID); err != nil {
		return nil, err
	}
	if gone := srv.Gone(); gone != "" {
		return nil, fmt.Errorf("%s", gone)
	}
	return res, nil
}

func (s MemoryStep) log(w io.Writer) {
	fmt.Fprintf(w, "  took %v, peak %s, after %s: %s\n", s.Took.Round(time.Millisecond), mib(s.Peak), mib(s.After.RSS), s.Outcome)
}

// startWithDemo loads the demo into a new store in this process, as `parc serve
// --demo` does, then serves it here.
func startWithDemo(ctx context.Context, cfg store.Config) (*Server, error) {
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	fresh, err := a.Bootstrap(ctx, "fr")
	if err == nil && fresh {
		err = a.LoadDemo(ctx)
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return StartInProcess(ctx, cfg)
}

// measureStep runs one step against the server, its peak memory reset before.
func measureStep(srv *Server, name string, step func() (string, error)) (MemoryStep, error) {
	st := MemoryStep{Name: name}
	resetPeak(srv.PID)
	if m, err := ReadMemory(srv.PID); err == nil {
		st.Before = m.RSS
	}
	sampled := sampleRSS(srv.PID)
	t0 := time.Now()
	out, err := step()
	st.Took = time.Since(t0)
	st.Sampled = sampled()
	if err != nil {
		if why := srv.Gone(); why != "" {
			return st, fmt.Errorf("%s: %w (%s)", name, err, why)
		}
		return st, fmt.Errorf("%s: %w", name, err)
	}
	st.Outcome = out
	if st.After, err = ReadMemory(srv.PID); err != nil {
		return st, err
	}
	st.Peak = st.After.HWM
	return st, nil
}

// resetPeak sets a process's VmHWM back to its current VmRSS (Linux), so that
// the next reading is the peak of what came after.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// sampleRSS reads a process's VmRSS every 20 ms until the returned function is
// called, which gives the largest reading.
func sampleRSS(pid int) func() int64 {
	stop := make(chan struct{})
	peak := make(chan int64)
	go func() {
		var p int64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if m, err := ReadMemory(pid); err == nil && m.RSS > p {
				p = m.RSS
			}
			select {
			case <-stop:
				peak <- p
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		return <-peak
	}
}

type importFile struct {
	lines int
	body  []byte
}

// importFiles makes CSV files of computers, lines in all and at most
// record.MaxImportRows each: the demo's computers as exported, again and again,
// under new names, inventory numbers, serial numbers and UUIDs.
func importFiles(ctx context.Context, c *Client, lines int) ([]importFile, error) {
	export, err := c.Get(ctx, "/api/v1/computers/export.csv")
	if err != nil {
		return nil, err
	}
	all, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(export, []byte("\ufeff")))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("the demo's computers as CSV: %w", err)
	}
	if len(all) < 2 {
		return nil, fmt.Errorf("the demo holds no computer to import copies of")
	}
	header, templates := all[0], all[1:]
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(h)] = i
	}
	// References by #id: the demo has several rooms of the same name.
	page, err := c.Get(ctx, "/api/v1/computers?limit=500")
	if err != nil {
		return nil, err
	}
	var list struct{ Data []map[string]any }
	if err := json.Unmarshal(page, &list); err != nil {
		return nil, err
	}
	byID := map[string]map[string]any{}
	for _, r := range list.Data {
		byID[fmt.Sprint(r["id"])] = r
	}
	if _, ok := col["id"]; !ok {
		return nil, fmt.Errorf("the computers' CSV export has no id column: %v", header)
	}
	for _, row := range templates {
		rec := byID[row[col["id"]]]
		for i, h := range header {
			if v, ok := rec[h].(float64); ok && strings.HasSuffix(h, "_id") && row[i] != "" {
				row[i] = "#" + strconv.FormatInt(int64(v), 10)
			}
		}
	}
	for _, need := range []string{"name", "inventory_number", "serial"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("the computers' CSV export has no %s column: %v", need, header)
		}
	}
	var files []importFile
	for n := 0; n < lines; {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(header)
		f := importFile{}
		for ; f.lines < record.MaxImportRows && n < lines; f.lines++ {
			n++
			row := append([]string(nil), templates[n%len(templates)]...)
			tag := fmt.Sprintf("%06d", n)
			row[col["name"]] = "MEM-PC-" + tag
			row[col["inventory_number"]] = "MEM-" + tag
			row[col["serial"]] = "MEMSN" + tag
			if i, ok := col["uuid"]; ok {
				row[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
			}
			w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		f.body = buf.Bytes()
		files = append(files, f)
	}
	return files, nil
}

// Print writes the results as a table, each peak against the target.
func (r *MemoryResult) Print(w io.Writer) {
	fmt.Fprintf(w, "store %s, server %s; machine: %s\n", r.Store, r.Mode, Machine())
	peak := "VmHWM over the step (peak reset before it)"
	if !r.PeakReset {
		peak = "VmHWM since start (the kernel refused to reset it)"
	}
	fmt.Fprintf(w, "peak: %s; target < %s\n\n", peak, mib(TargetRSS))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "step\ttook\tRSS before\tpeak\tsampled RSS\tRSS after\ttarget\tanswer")
	orNone := func(b int64) string { // not measured: the step before the server was up
		if b == 0 {
			return "-"
		}
		return mib(b)
	}
	for _, s := range r.Steps {
		fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, s.Took.Round(time.Millisecond), orNone(s.Before), mib(s.Peak), orNone(s.Sampled), mib(s.After.RSS), verdict(s.Peak < TargetRSS), s.Outcome)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nresident memory %v after the last step: %s\n", r.Settle, mib(r.Idle.RSS))
}

// Within tells whether every step stayed under the target.
func (r *MemoryResult) Within() bool {
	for _, s := range r.Steps {
		if s.Peak >= TargetRSS {
			return false
		}
	}
	return true
}
