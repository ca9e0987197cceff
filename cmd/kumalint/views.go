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
	"github.com/kumalint/kumalint/report"
)

// loadGraph lints paths for the graph and plan commands. Input problems go to
// stderr; failed says whether one means exit code 2.
func loadGraph(stderr io.Writer, args []string) (res *lint.Result, failed bool, err error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, false, err
	}
	res, err = lint.Run(lint.Options{Root: repoRoot(cwd), Paths: args, Now: time.Now().UTC()})
	if err != nil {
		return nil, false, err
	}
	for _, d := range res.Diagnostics {
		if d.Level >= model.LevelWarning {
			fmt.Fprintf(stderr, "%s: %s %s\n", d.Pos, d.Level, d.Message)
		}
	}
	return res, res.Failed(), nil
}

func graphCmd(code *int) *cobra.Command {
	var format string
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
			res, failed, err := loadGraph(cmd.ErrOrStderr(), args)
			if err != nil {
				*code = exitError
				return err
			}
			if err := report.WriteGraph(cmd.OutOrStdout(), format, res.Graph, res.Findings); err != nil {
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
	return cmd
}

func planCmd(code *int) *cobra.Command {
	var format, to string
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
			res, failed, err := loadGraph(cmd.ErrOrStderr(), args)
			if err != nil {
				return err
			}
			plans, err := plan.Make(res.Graph, nil, model.ParseVersion(to))
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
	return cmd
}
