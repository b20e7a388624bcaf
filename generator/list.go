package generator

import (
	"fmt"
	"go/types"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
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
		fmt.Fprintf(tw, "%s (%s at %s:%d)\n", c.Name, c.GoName, RelativePath(dir, c.Pos.Filename), c.Pos.Line)
		fmt.Fprintln(tw, "PATH\tGO TYPE\tBSON TYPE\tENCRYPTED\tQUERIES")
		for _, f := range c.Fields {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Path, types.TypeString(f.Declared, shortQualifier), orDash(string(f.BSONType), "per value"), yesNo(f.Schema != nil), queriesText(f.Schema))
		}
	}
	return tw.Flush()
}

// queriesText prints a field's queries with every option, as the
// collection's encryptedFields has them.
func queriesText(f *schema.Field) string {
	if f == nil {
		return "any (not encrypted)"
	}
	if len(f.Queries) == 0 {
		return "none"
	}
	parts := make([]string, len(f.Queries))
	for i, q := range f.Queries {
		opts := []string{fmt.Sprintf("contention=%d", q.Contention)}
		if r := q.Range; r != nil {
			if r.Min.Type != 0 {
				opts = append(opts, "min="+boundText(r.Min), "max="+boundText(r.Max))
			}
			if r.Sparsity != nil {
				opts = append(opts, fmt.Sprintf("sparsity=%d", *r.Sparsity))
			}
			if r.TrimFactor != nil {
				opts = append(opts, fmt.Sprintf("trimFactor=%d", *r.TrimFactor))
			}
			if r.Precision != nil {
				opts = append(opts, fmt.Sprintf("precision=%d", *r.Precision))
			}
		}
		if t := q.Text; t != nil {
			opts = append(opts, fmt.Sprintf("strMinQueryLength=%d", t.StrMinQueryLength), fmt.Sprintf("strMaxQueryLength=%d", t.StrMaxQueryLength))
			if t.StrMaxLength != nil {
				opts = append(opts, fmt.Sprintf("strMaxLength=%d", *t.StrMaxLength))
			}
			opts = append(opts, fmt.Sprintf("caseSensitive=%t", t.CaseSensitive), fmt.Sprintf("diacriticSensitive=%t", t.DiacriticSensitive))
		}
		parts[i] = fmt.Sprintf("%s (%s)", q.Type, strings.Join(opts, ","))
	}
	return strings.Join(parts, ", ")
}

// boundText prints a range bound as a tag would write it.
func boundText(v bson.RawValue) string {
	switch v.Type {
	case bson.TypeDateTime:
		return time.UnixMilli(v.DateTime()).UTC().Format(time.RFC3339Nano)
	case bson.TypeInt32:
		return fmt.Sprint(v.Int32())
	case bson.TypeInt64:
		return fmt.Sprint(v.Int64())
	case bson.TypeDouble:
		return fmt.Sprint(v.Double())
	case bson.TypeDecimal128:
		return v.Decimal128().String()
	}
	return v.String()
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
