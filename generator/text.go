package generator

import (
	"fmt"

	"github.com/qegen/qegen/schema"
)

// textOptions checks the options of a tag's text kinds (prefix, suffix,
// substring) on a field of BSON type t, and returns them with the search
// tags one value can produce, for the server's tag limits.
// caseSensitive and diacriticSensitive default to true, as documented, and
// are always written, because the server requires them.
func textOptions(tag *Tag, t schema.BSONType, goType string) (*schema.TextOptions, int64, error) {
	kinds := kindNames(tag.Kinds)
	if t != schema.String {
		return nil, 0, fmt.Errorf("%s queries need a string field, but %s is stored as %s: use equality or encrypt", kinds, goType, t)
	}
	opts := &schema.TextOptions{CaseSensitive: schema.DefaultCaseSensitive, DiacriticSensitive: schema.DefaultDiacriticSensitive}
	if o := tag.Option("caseSensitive"); o != nil {
		opts.CaseSensitive = o.Bool
	}
	if o := tag.Option("diacriticSensitive"); o != nil {
		opts.DiacriticSensitive = o.Bool
	}
	minO, maxO, lenO := tag.Option("strMinQueryLength"), tag.Option("strMaxQueryLength"), tag.Option("strMaxLength")
	if minO == nil || maxO == nil {
		return nil, 0, fmt.Errorf("%s queries need strMinQueryLength and strMaxQueryLength: add e.g. strMinQueryLength=2,strMaxQueryLength=10, the shortest and longest strings you will search for", kinds)
	}
	for _, o := range []*TagOption{minO, maxO, lenO} {
		if o != nil && (o.Int < 1 || o.Int > 1<<31-1) {
			return nil, 0, fmt.Errorf("%s=%d: it must be 1 or more", o.Name, o.Int)
		}
	}
	opts.StrMinQueryLength, opts.StrMaxQueryLength = int32(minO.Int), int32(maxO.Int)
	if minO.Int > maxO.Int {
		return nil, 0, fmt.Errorf("strMinQueryLength=%d is above strMaxQueryLength=%d", minO.Int, maxO.Int)
	}
	tags := int64(0)
	if tag.Has(schema.Substring) {
		if lenO == nil {
			return nil, 0, fmt.Errorf("substring queries need strMaxLength, the longest value the field will hold: add e.g. strMaxLength=60")
		}
		n := int32(lenO.Int)
		opts.StrMaxLength = &n
		switch {
		case maxO.Int > lenO.Int:
			return nil, 0, fmt.Errorf("strMaxQueryLength=%d is above strMaxLength=%d", maxO.Int, lenO.Int)
		case minO.Int < schema.SubstringMinQueryLength || maxO.Int > schema.SubstringMaxQueryLength || lenO.Int > schema.SubstringMaxLength:
			return nil, 0, fmt.Errorf("substring queries are limited to strMinQueryLength >= %d, strMaxQueryLength <= %d and strMaxLength <= %d (fixed in 9.0, a cluster parameter in 8.2)", schema.SubstringMinQueryLength, schema.SubstringMaxQueryLength, schema.SubstringMaxLength)
		}
		for j := minO.Int; j <= maxO.Int; j++ {
			tags += lenO.Int - j + 1
		}
	}
	for _, k := range tag.Kinds {
		if k == schema.Prefix || k == schema.Suffix {
			tags += maxO.Int - minO.Int + 1
		}
	}
	tags++ // and one for the exact value
	if tags > schema.MaxTagsPerField {
		return nil, 0, fmt.Errorf("these lengths let one value produce %d search tags, above the server's limit of %d per field: narrow strMinQueryLength..strMaxQueryLength", tags, schema.MaxTagsPerField)
	}
	return opts, tags, nil
}
