package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kumalint/kumalint/model"
)

func itoa(n int) string { return strconv.Itoa(n) }

// lines says "1 release line" or "3 release lines".
func lines(n int) string {
	if n == 1 {
		return "1 release line"
	}
	return itoa(n) + " release lines"
}

// setting names what to edit to change a data plane's version, and what to do
// after editing it.
func setting(c *model.Component) (what, after string) {
	if c.DPKind == model.DPInjected {
		return c.Setting(), "; then restart the meshed workloads so their sidecars are re-injected"
	}
	return c.Setting(), ""
}

// steps reminds that a move of more than max lines takes several upgrades.
func steps(distance, maxLines int) string {
	if distance <= maxLines {
		return ""
	}
	return " (in steps of at most " + lines(maxLines) + ")"
}

// release names the version to move to on a line: its newest known patch
// ("2.11.18"), or "2.11.x" when the table does not know it.
func release(p *Pass, prod model.Product, line string) string {
	v := model.ParseVersion(line + ".0")
	if l, ok := p.Policy.Train(prod).Lookup(v); ok && l.Latest >= 0 {
		return fmt.Sprintf("%s.%d", line, l.Latest)
	}
	return line + ".x"
}

// path joins upgrade steps for messages: "2.8, then 2.10".
func path(steps []string) string { return strings.Join(steps, ", then ") }
