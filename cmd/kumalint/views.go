package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/plan"
	"github.com/kumalint/kumalint/policy"
	"github.com/kumalint/kumalint/report"
)

// loadGraph lints paths for the graph and plan commands, with the same
// configuration as lint. Input problems go to stderr; failed says whether one
// means exit code 2.
func loadGraph(stderr io.Writer, configPath string, args []string) (res *lint.Result, pol *policy.Policy, failed bool, err error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, nil, false, err
	}
	root := repoRoot(cwd, args)
	cfg, err := loadConfig(configPath, root, args)
	if err != nil {
		return nil, nil, false, err
	}
	pol = policy.Default()
	if cfg != nil && cfg.Policy.MaxSkewLines > 0 {
		pol = pol.WithMaxSkew(cfg.Policy.MaxSkewLines)
	}
	res, err = lint.Run(lint.Options{Root: root, Paths: args, Now: time.Now().UTC(), Config: cfg, Policy: pol})
	if err != nil {
		return nil, nil, false, err
	}
	for _, d := range res.Diagnostics {
		if d.Level >= model.LevelWarning {
			fmt.Fprintf(stderr, "%s: %s %s\n", d.Pos, d.Level, d.Message)
		}
	}
	return res, pol, res.Failed(), nil
}

func graphCmd(code *int) *cobra.Command {
	var format, configPath string
	cmd := &cobra.Command{
		Use:   "graph [PATH...]",
		Short: "Draw the version graph: components, versions, instances and broken edges",
		Long: `Graph prints the topology kumalint builds from PATH: every control plane and
data plane with its version and instance count, grouped by deployment, with
the edges between tiers. An edge whose pair breaks the policy (skew, ahead,
mixed products) is marked with the rule.

Formats: text, mermaid (renders in GitHub Markdown), dot (Graphviz), json.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(report.GraphFormats, format) {
				*code = exitError
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(report.GraphFormats, ", "))
			}
			res, _, failed, err := loadGraph(cmd.ErrOrStderr(), configPath, args)
			if err != nil {
				*code = exitError
				return err
			}
			if err := report.WriteGraph(cmd.OutOrStdout(), format, res.Graph, model.Active(res.Findings)); err != nil {
				*code = exitError
				return err
			}
			if failed {
				*code = exitError
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text, mermaid, dot or json")
	cmd.Flags().StringVar(&configPath, "config", "", "configuration file (default: .kumalint.yaml found from the first PATH upwards)")
	return cmd
}

func planCmd(code *int) *cobra.Command {
	var format, to, configPath string
	cmd := &cobra.Command{
		Use:   "plan [PATH...] --to VERSION",
		Short: "List the policy-legal upgrade steps to a target version",
		Long: `Plan lists, for every deployment under PATH, the ordered steps from the versions
it runs today to --to VERSION that the upgrade policy allows: the global
control plane first, then the zones, then data planes that pin their own
kuma-dp; at most two release lines per step; every path into 3.x through
2.14. Each step is one change and names the file, line and setting to edit.

VERSION is a release line (2.13: its newest known patch) or a version (2.13.1).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = exitError
			if to == "" {
				return fmt.Errorf("--to is required: the version to plan to, such as 2.13")
			}
			if !slices.Contains(plan.Formats, format) {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(plan.Formats, ", "))
			}
			res, pol, failed, err := loadGraph(cmd.ErrOrStderr(), configPath, args)
			if err != nil {
				return err
			}
			plans, err := plan.Make(res.Graph, pol, model.ParseVersion(to))
			if err != nil {
				return err
			}
			if err := plan.Write(cmd.OutOrStdout(), format, plans); err != nil {
				return err
			}
			if !failed {
				*code = exitOK
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the target version: a release line (2.13) or a version (2.13.1)")
	cmd.Flags().StringVar(&format, "format", "text", "text, markdown or json")
	cmd.Flags().StringVar(&configPath, "config", "", "configuration file (default: .kumalint.yaml found from the first PATH upwards)")
	return cmd
}
