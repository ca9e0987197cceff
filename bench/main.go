// Command bench measures kumalint end to end (load, render, lint, SARIF)
// against the pipeline a team would otherwise script: helm template for every
// release and kustomize build for every overlay, each a process, render only.
// It generates synthetic repositories from 10 to 1000 releases (Helm values of
// a 30-template chart, kustomize overlays, compose projects), and prints the
// time of both, their ratio and peak memory. Run it with make bench.
//
// The helm (v3.22.0) and kustomize (v5.8.0) CLIs are built with go install
// into the tools directory when they are not there.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/kumalint/kumalint/internal/synth"
)

var (
	sizes  = flag.String("sizes", "10,100,1000", "repository sizes, in Helm releases (kustomize overlays and compose projects are a tenth of that each)")
	tools  = flag.String("tools", filepath.Join(os.TempDir(), "kumalint-bench-tools"), "directory for the helm and kustomize CLIs")
	sample = flag.Int("sample", 60, "at most this many helm template and kustomize build runs per size; the rest of the pipeline is extrapolated from them (0: run them all)")
	runs   = flag.Int("runs", 3, "kumalint runs per size (the fastest counts)")
)

const (
	helmVersion      = "v3.22.0"
	kustomizeVersion = "v5.8.0"
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	repo, err := os.Getwd()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "kumalint-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	kumalint := filepath.Join(work, "kumalint")
	if out, err := exec.Command("go", "build", "-o", kumalint, "./cmd/kumalint").CombinedOutput(); err != nil {
		return fmt.Errorf("building kumalint: %w\n%s", err, out)
	}
	helm, err := tool("helm", "helm.sh/helm/v3/cmd/helm@"+helmVersion)
	if err != nil {
		return err
	}
	kustomize, err := tool("kustomize", "sigs.k8s.io/kustomize/kustomize/v5@"+kustomizeVersion)
	if err != nil {
		return err
	}

	fmt.Printf("machine: %d cores, %s, %s %s\n", runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	start := time.Now()
	for range 20 {
		if err := exec.Command(kumalint, "version").Run(); err != nil {
			return err
		}
	}
	fmt.Printf("kumalint version: %.1f ms per run (20 runs)\n\n", float64(time.Since(start).Microseconds())/20/1000)

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "releases\toverlays\tcompose\tkumalint\tpeak RSS\tfindings\thelm+kustomize\tper process\tpeak RSS\tratio\t")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a size", s)
		}
		r, err := measure(repo, work, kumalint, helm, kustomize, n)
		if err != nil {
			return err
		}
		pipeline := fmt.Sprintf("%.2f s", r.pipeline.Seconds())
		if r.extrapolated {
			pipeline += "*"
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.2f s\t%d MiB\t%d\t%s\t%.0f ms\t%d MiB\t%.3f\t\n",
			n, r.overlays, r.compose, r.kumalint.Seconds(), r.kumalintRSS>>10, r.findings, pipeline,
			float64(r.pipeline.Milliseconds())/float64(n+r.overlays), r.pipelineRSS>>10, r.kumalint.Seconds()/r.pipeline.Seconds())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Println("\n* extrapolated from a sample of the renders (-sample); ratio = kumalint / (helm template + kustomize build).")
	return nil
}

// tool finds a CLI in the tools directory or builds it there.
func tool(name, module string) (string, error) {
	path := filepath.Join(*tools, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	fmt.Fprintf(os.Stderr, "bench: building %s with go install (once)\n", module)
	cmd := exec.Command("go", "install", module)
	cmd.Env = append(os.Environ(), "GOBIN="+*tools, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", module, err, out)
	}
	return path, nil
}

type result struct {
	overlays, compose, findings int
	kumalint, pipeline          time.Duration
	kumalintRSS, pipelineRSS    int64 // KiB
	extrapolated                bool
}

func measure(repo, work, kumalint, helm, kustomize string, n int) (result, error) {
	dir := filepath.Join(work, fmt.Sprintf("repo-%d", n))
	r := result{overlays: max(n/10, 1), compose: max(n/10, 1)}
	if err := synth.Umbrella(repo, dir, n); err != nil {
		return r, err
	}
	if err := synth.Overlays(repo, dir, r.overlays); err != nil {
		return r, err
	}
	if err := synth.Compose(dir, r.compose); err != nil {
		return r, err
	}

	// kumalint, end to end: every release rendered, every overlay built,
	// linted, SARIF written.
	sarif := filepath.Join(work, "out.sarif")
	for range *runs {
		d, rss, code, err := timed(kumalint, "lint", dir, "--format", "sarif", "--output", sarif, "--format", "json", "--output", filepath.Join(work, "out.json"))
		if err != nil {
			return r, err
		}
		if code == 2 {
			return r, errors.New("kumalint could not read the synthetic repository")
		}
		if r.kumalint == 0 || d < r.kumalint {
			r.kumalint = d
		}
		r.kumalintRSS = max(r.kumalintRSS, rss)
	}
	if data, err := os.ReadFile(filepath.Join(work, "out.json")); err == nil {
		r.findings = strings.Count(string(data), `"rule":`)
	}

	// The pipeline: one process per release and per overlay.
	var jobs [][]string
	values, _ := filepath.Glob(filepath.Join(dir, "mesh", "values-zone-*.yaml"))
	sort.Strings(values)
	for i, v := range values {
		jobs = append(jobs, []string{helm, "template", fmt.Sprintf("zone-%04d", i), filepath.Join(dir, "mesh"), "-f", v, "--namespace", "kuma-system"})
	}
	overlays, _ := filepath.Glob(filepath.Join(dir, "overlays", "*"))
	sort.Strings(overlays)
	for _, o := range overlays {
		jobs = append(jobs, []string{kustomize, "build", o})
	}
	total := len(jobs)
	run := jobs
	if *sample > 0 && len(jobs) > *sample {
		// An even sample of both kinds.
		run = nil
		step := float64(len(jobs)) / float64(*sample)
		for i := 0.0; int(i) < len(jobs); i += step {
			run = append(run, jobs[int(i)])
		}
		r.extrapolated = true
	}
	var spent time.Duration
	for _, j := range run {
		d, rss, code, err := timed(j[0], j[1:]...)
		if err != nil {
			return r, err
		}
		if code != 0 {
			return r, fmt.Errorf("%s failed (exit %d)", strings.Join(j, " "), code)
		}
		spent += d
		r.pipelineRSS = max(r.pipelineRSS, rss)
	}
	r.pipeline = time.Duration(float64(spent) * float64(total) / float64(len(run)))
	return r, nil
}

// timed runs a command with its output discarded and returns its wall time,
// peak RSS (KiB) and exit code.
func timed(name string, args ...string) (time.Duration, int64, int, error) {
	cmd := exec.Command(name, args...)
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code, err = ee.ExitCode(), nil
	}
	if err != nil {
		return 0, 0, 0, err
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return d, rss, code, nil
}
