// Command kumalint lints Kuma and Kong Mesh deployment manifests against the
// upgrade policy. This file is the command line only: flags, exit codes and
// wiring; the work is in the lint, rules and report packages.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/kumalint/kumalint/config"
	"github.com/kumalint/kumalint/docs"
	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/report"
	"github.com/kumalint/kumalint/rules"
	"github.com/kumalint/kumalint/suppress"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Exit codes: the contract in design.md, the same for every format.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // usage error, or an input that could not be read
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	code := exitOK
	root := &cobra.Command{
		Use:           "kumalint",
		Short:         "Lint Kuma and Kong Mesh deployment manifests against the upgrade policy",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.AddCommand(lintCmd(&code), rulesCmd(), explainCmd(), graphCmd(&code), planCmd(&code), versionCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "kumalint:", err)
		return exitError
	}
	return code
}

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.0.0-dev"
}

type lintFlags struct {
	formats []string
	outputs []string
	failOn  string
	now     string
	base    string
	all     bool
	config  string
	// noInlineIgnores disregards kumalint:ignore comments and annotations.
	noInlineIgnores bool
	baseline        string
	writeBaseline   string
	fetchCharts     bool
	chartCache      string
}

func lintCmd(code *int) *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Lint manifests (default: the current directory)",
		Long: `Lint reads rendered Kubernetes manifests under PATH (files or directories),
builds the version graph of the Kuma / Kong Mesh deployment and reports every
place where the upgrade policy is broken.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 a usage error or an input that could not be read (everything else is still
linted and reported).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := runLint(cmd, f, args)
			*code = c
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.formats, "format", nil, "output format: text, json, sarif, github or markdown; repeat it, each with its own --output")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "file for the format in the same position (default stdout)")
	fl.StringVar(&f.failOn, "fail-on", "error", "lowest level that makes the exit code 1: error, warning, note or none")
	fl.StringVar(&f.now, "now", "", "the date end-of-life is judged on, YYYY-MM-DD (default today)")
	fl.StringVar(&f.base, "base", "", "PR mode: compare with the tree at this git revision; findings already there become notes")
	fl.BoolVar(&f.all, "all", false, "with --base: keep the level of findings already present at the base revision")
	fl.StringVar(&f.config, "config", "", "configuration file (default: .kumalint.yaml in the first PATH or a parent, up to the repository root)")
	fl.BoolVar(&f.noInlineIgnores, "no-inline-ignores", false, "disregard kumalint:ignore comments and kumalint.io/ignore annotations")
	fl.StringVar(&f.baseline, "baseline", "", "silence the findings recorded in this baseline file")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record every current finding in this baseline file and exit 0 (2 if an input could not be read)")
	fl.BoolVar(&f.fetchCharts, "fetch-charts", false, "download charts that are not in the repository from their Helm repositories, to render them (the only network use)")
	fl.StringVar(&f.chartCache, "chart-cache", "", "directory for downloaded charts (default: the user cache directory's kumalint/charts)")
	return cmd
}

func runLint(cmd *cobra.Command, f lintFlags, args []string) (int, error) {
	failOn, err := model.ParseLevel(f.failOn)
	if err != nil {
		return exitError, fmt.Errorf("--fail-on: %w", err)
	}
	now := time.Now().UTC()
	if f.now != "" {
		if now, err = time.Parse(time.DateOnly, f.now); err != nil {
			return exitError, fmt.Errorf("--now %q: want YYYY-MM-DD", f.now)
		}
	}
	formats := f.formats
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	for _, fm := range formats {
		if !validFormat(fm) {
			return exitError, fmt.Errorf("--format %q: want one of %s", fm, strings.Join(report.Formats, ", "))
		}
	}
	if len(f.outputs) > len(formats) {
		return exitError, errors.New("more --output than --format flags: each --output belongs to the --format in the same position")
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitError, err
	}
	if f.all && f.base == "" {
		return exitError, errors.New("--all only applies with --base")
	}
	root := repoRoot(cwd, args)
	cfg, err := loadConfig(f.config, root, args)
	if err != nil {
		return exitError, err
	}
	opts := lint.Options{Root: root, Paths: args, Now: now, Base: f.base, All: f.all, Config: cfg, NoInlineIgnores: f.noInlineIgnores}
	if f.fetchCharts {
		cache := f.chartCache
		if cache == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				return exitError, fmt.Errorf("--fetch-charts: no cache directory (%w); set --chart-cache", err)
			}
			cache = filepath.Join(dir, "kumalint", "charts")
		}
		opts.Fetch = &helm.Fetcher{Cache: cache}
	}
	if f.baseline != "" {
		if opts.Baseline, err = suppress.ReadBaseline(f.baseline, f.baseline); err != nil {
			return exitError, fmt.Errorf("--baseline: %w", err)
		}
	}
	res, err := lint.Run(opts)
	if err != nil {
		return exitError, err
	}
	if f.writeBaseline != "" {
		return writeBaselineFile(f.writeBaseline, res)
	}
	rep := &report.Report{
		Stale:       res.Stale,
		Base:        f.base,
		ToolVersion: toolVersion(),
		Rules:       rules.All(),
		Findings:    res.Findings,
		Diagnostics: res.Diagnostics,
		Files:       res.Files,
	}
	for i, fm := range formats {
		w, closeFn, color, err := openOutput(cmd.OutOrStdout(), f.outputs, i)
		if err != nil {
			return exitError, err
		}
		err = report.Write(w, fm, rep, report.Options{Color: color})
		if cerr := closeFn(); err == nil {
			err = cerr
		}
		if err != nil {
			return exitError, err
		}
	}
	switch {
	case res.Failed():
		return exitError, nil
	case failOn != model.LevelNone && anyAtLeast(model.Active(res.Findings), failOn):
		return exitFindings, nil
	}
	return exitOK, nil
}

// loadConfig reads --config, or the .kumalint.yaml found from the first path
// upwards to the repository root; nil when there is none.
func loadConfig(flagPath, root string, args []string) (*config.Config, error) {
	path := flagPath
	if path == "" {
		start := "."
		if len(args) > 0 {
			start = args[0]
		}
		if info, err := os.Stat(start); err == nil && !info.IsDir() {
			start = filepath.Dir(start)
		}
		if path = config.Find(start, root); path == "" {
			return nil, nil
		}
	}
	cfg, err := config.Load(path, displayPath(root, path), rules.IDs())
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// displayPath is path relative to root when inside it.
func displayPath(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}

// writeBaselineFile records the findings that no ignore comment or
// annotation silences (including those an older baseline silenced).
func writeBaselineFile(path string, res *lint.Result) (int, error) {
	var keep []model.Finding
	for _, f := range res.Findings {
		if f.Suppression == nil || f.Suppression.Kind == model.SuppressedExternal {
			f.Suppression = nil
			keep = append(keep, f)
		}
	}
	file, err := os.Create(path)
	if err != nil {
		return exitError, err
	}
	err = suppress.WriteBaseline(file, keep)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return exitError, err
	}
	if res.Failed() {
		return exitError, fmt.Errorf("wrote %s with %d findings, but some inputs could not be read: %s", path, len(keep), firstError(res.Diagnostics))
	}
	return exitOK, nil
}

func firstError(ds []model.Diagnostic) string {
	for _, d := range ds {
		if d.Level == model.LevelError {
			return d.Pos.String() + ": " + d.Message
		}
	}
	return ""
}

func validFormat(s string) bool {
	for _, f := range report.Formats {
		if f == s {
			return true
		}
	}
	return false
}

func anyAtLeast(fs []model.Finding, l model.Level) bool {
	for _, f := range fs {
		if f.Level >= l {
			return true
		}
	}
	return false
}

// openOutput opens the output of the i-th format: its --output, or stdout.
func openOutput(stdout io.Writer, outputs []string, i int) (io.Writer, func() error, bool, error) {
	if i < len(outputs) && outputs[i] != "-" {
		file, err := os.Create(outputs[i])
		if err != nil {
			return nil, nil, false, err
		}
		return file, file.Close, false, nil
	}
	return stdout, func() error { return nil }, isTerminal(stdout), nil
}

// isTerminal reports whether w is a terminal that wants colour: NO_COLOR
// (https://no-color.org) turns colour off.
func isTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// repoRoot finds the root that report paths are relative to, which is what
// code scanning expects: the git repository around the first path (or the
// working directory). Outside any repository it is the working directory, or
// the first path's directory when that is not inside the working directory.
func repoRoot(cwd string, args []string) string {
	start := cwd
	if len(args) > 0 {
		p, err := filepath.Abs(args[0])
		if err == nil {
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				p = filepath.Dir(p)
			}
			start = p
		}
	}
	for d := start; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if rel, err := filepath.Rel(cwd, start); err == nil && filepath.IsLocal(rel) || rel == "." {
		return cwd
	}
	return start
}

func rulesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			switch format {
			case "text":
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RULE\tLEVEL\tFINDS")
				for _, r := range rules.All() {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Level, r.Short)
				}
				return tw.Flush()
			case "json":
				type jr struct {
					ID          string `json:"id"`
					Level       string `json:"level"`
					Short       string `json:"short"`
					Full        string `json:"full"`
					Remediation string `json:"remediation"`
					HelpURI     string `json:"helpUri"`
				}
				var list []jr
				for _, r := range rules.All() {
					list = append(list, jr{r.ID, r.Level.String(), r.Short, r.Full, r.Remediation, report.RuleURL(r.ID)})
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			return fmt.Errorf("--format %q: want text or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Show a rule's documentation",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			page, ok := docs.RulePage(args[0])
			if _, known := rules.ByID(args[0]); !ok || !known {
				var ids []string
				for _, r := range rules.All() {
					ids = append(ids, r.ID)
				}
				return fmt.Errorf("no rule %q; rules are: %s", args[0], strings.Join(ids, ", "))
			}
			_, err := io.WriteString(cmd.OutOrStdout(), page)
			return err
		},
	}
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kumalint's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "kumalint %s (%s)\n", toolVersion(), runtime.Version())
			return err
		},
	}
}
