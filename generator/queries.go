package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qegen/qegen/schema"
)

// queries turns a tag's kinds and options into the encryptedFields
// queries of a field of BSON type t (Go type goType, for messages) at
// release r, checked against the rules of the server and libmongocrypt.
// tags is the most search tags one value can produce (text kinds only).
func queries(tag *Tag, t schema.BSONType, goType string, r schema.Release) (qs []schema.Query, tags int64, err error) {
	if tag.Has(schema.Encrypt) {
		if len(tag.Options) > 0 {
			return nil, 0, fmt.Errorf("option %s applies to queryable fields, and encrypt is not queryable: remove it", tag.Options[0].Name)
		}
		return nil, 0, nil
	}
	for _, o := range tag.Options {
		opt, _ := schema.LookupOption(o.Name)
		if !slices.ContainsFunc(tag.Kinds, opt.AppliesTo) {
			return nil, 0, fmt.Errorf("option %s applies to %s queries, not to %s: remove it", o.Name, kindNames(opt.Kinds), kindNames(tag.Kinds))
		}
	}
	if !schema.Combinable(tag.Kinds) {
		return nil, 0, fmt.Errorf("the server allows two query kinds on one field only as prefix with suffix, not %s: keep one", kindNames(tag.Kinds))
	}
	for _, k := range tag.Kinds {
		if !r.AtLeast(k.Since()) {
			extra := ""
			if k == schema.Range {
				extra = " (7.0 had only rangePreview, which libmongocrypt 1.11 and later refuse)"
			}
			return nil, 0, fmt.Errorf("%s queries need MongoDB %s or later%s, and the target is %s: run qegen -server %s, or use equality", k, k.Since(), extra, r, k.Since())
		}
	}
	contention := int64(schema.DefaultContention)
	if o := tag.Option("contention"); o != nil {
		if o.Int < 0 {
			return nil, 0, fmt.Errorf("contention=%d: the server needs 0 or more", o.Int)
		}
		contention = o.Int
	}
	var text *schema.TextOptions // shared by prefix and suffix on one field
	for _, k := range tag.Kinds {
		q := schema.Query{Type: k.QueryType(r), Contention: contention}
		switch {
		case k == schema.Equality:
			if !k.Accepts(t) {
				return nil, 0, fmt.Errorf("equality queries need one of the BSON types %s, but %s is stored as %s: use qe:\"encrypt\" to store it without queries, or change its Go type", typeList(k), goType, t)
			}
		case k == schema.Range:
			if q.Range, err = rangeOptions(tag, t, goType, r); err != nil {
				return nil, 0, err
			}
		case text == nil:
			if text, tags, err = textOptions(tag, t, goType); err != nil {
				return nil, 0, err
			}
		}
		if k.IsText() {
			q.Text = text
		}
		qs = append(qs, q)
	}
	return qs, tags, nil
}

func kindNames(kinds []schema.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, "/")
}

// typeList names the BSON types kind k accepts, sorted.
func typeList(k schema.Kind) string {
	names := make([]string, len(k.Types()))
	for i, t := range k.Types() {
		names[i] = string(t)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
