package migrate

import "sort"

// Change is a conversion the model makes to many documents, which the
// default conversion accepts because no value is lost: a number stored
// as another BSON number type, or a key the source lacks that the model
// writes (its zero value).
type Change struct {
	Path      string
	What      string
	Documents int64
}

// changeCounter counts changes by path and description.
type changeCounter map[[2]string]int64

func (c changeCounter) add(diffs []pathDiff) {
	for _, d := range diffs {
		c[[2]string{d.path, d.describe(sourceAndModel)}]++
	}
}

// list returns the changes sorted by path.
func (c changeCounter) list() []Change {
	out := make([]Change, 0, len(c))
	for k, n := range c {
		out = append(out, Change{Path: k[0], What: k[1], Documents: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].What < out[j].What
	})
	return out
}
