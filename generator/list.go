package generator

import (
	"fmt"
	"go/types"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteList prints one table per collection: every stored path with its Go
// and BSON types, whether it is encrypted, and how it can be queried, so a
// reviewer sees at a glance what is protected. File names are relative to
// dir where possible.
func WriteList(w io.Writer, m *Model, dir string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, c := range m.Collections() {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		pos := ErrorList{{Pos: c.Pos}}
		pos.Relative(dir)
		fmt.Fprintf(tw, "%s (%s at %s:%d)\n", c.Name, c.GoName, pos[0].Pos.Filename, c.Pos.Line)
		fmt.Fprintln(tw, "PATH\tGO TYPE\tBSON TYPE\tENCRYPTED\tQUERIES")
		for _, f := range c.All {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Path, types.TypeString(f.Type, shortQualifier), orDash(f.BSONType, "per value"), yesNo(f.Encrypted), queriesText(f))
		}
	}
	return tw.Flush()
}

func queriesText(f *Field) string {
	if !f.Encrypted {
		return "any (not encrypted)"
	}
	if len(f.Queries) == 0 {
		return "none"
	}
	parts := make([]string, len(f.Queries))
	for i, q := range f.Queries {
		parts[i] = fmt.Sprintf("%s (contention=%d)", q.Type, q.Contention)
	}
	return strings.Join(parts, ", ")
}

func orDash(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
