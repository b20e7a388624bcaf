package generator

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is what a `qe` tag asks for a field: encryption only, or a query kind.
type Kind string

// The kinds a `qe` tag accepts, spelled as users write them.
const (
	KindEncrypt   Kind = "encrypt"
	KindEquality  Kind = "equality"
	KindRange     Kind = "range"
	KindPrefix    Kind = "prefix"
	KindSuffix    Kind = "suffix"
	KindSubstring Kind = "substring"
)

var knownKinds = []Kind{KindEncrypt, KindEquality, KindRange, KindPrefix, KindSuffix, KindSubstring}

// optionKind says how an option's value is written.
type optionKind int

const (
	optInt optionKind = iota
	optBool
	optValue // typed later, by the field's BSON type (min, max)
)

// tagOptions lists the options with the server's own spelling.
var tagOptions = map[string]optionKind{
	"contention":         optInt,
	"min":                optValue,
	"max":                optValue,
	"sparsity":           optInt,
	"trimFactor":         optInt,
	"precision":          optInt,
	"strMinQueryLength":  optInt,
	"strMaxQueryLength":  optInt,
	"strMaxLength":       optInt,
	"caseSensitive":      optBool,
	"diacriticSensitive": optBool,
}

// Tag is a parsed `qe` struct tag. Options keep the order they were written in.
type Tag struct {
	Kinds   []Kind
	Options []TagOption
}

// TagOption is one OPTION=VALUE of a `qe` tag. Int is set for integer
// options and Bool for boolean ones; Raw always holds the text as written.
type TagOption struct {
	Name string
	Raw  string
	Int  int64
	Bool bool
}

// Has reports whether the tag names kind k.
func (t *Tag) Has(k Kind) bool {
	for _, have := range t.Kinds {
		if have == k {
			return true
		}
	}
	return false
}

// Option returns the option called name, or nil when the tag does not set it.
func (t *Tag) Option(name string) *TagOption {
	for i := range t.Options {
		if t.Options[i].Name == name {
			return &t.Options[i]
		}
	}
	return nil
}

// ParseTag parses the value of a `qe` struct tag:
//
//	KIND[,KIND...][,OPTION=VALUE...]
//
// It checks the grammar and the type of each value; whether a kind or an
// option suits the field is decided later, once its BSON type is known.
func ParseTag(s string) (*Tag, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf(`empty qe tag: write a kind, e.g. qe:"encrypt" or qe:"equality"`)
	}
	t := &Tag{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("qe tag %q has an empty item: remove the extra comma", s)
		}
		name, value, isOption := strings.Cut(item, "=")
		if !isOption {
			if err := t.addKind(Kind(item)); err != nil {
				return nil, err
			}
			continue
		}
		if err := t.addOption(strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			return nil, err
		}
	}
	if len(t.Kinds) == 0 {
		return nil, fmt.Errorf(`qe tag %q names no kind: start it with one of %s`, s, kindList())
	}
	if t.Has(KindEncrypt) && len(t.Kinds) > 1 {
		return nil, fmt.Errorf(`qe tag %q combines "encrypt" with a query kind: "encrypt" means not queryable; keep only the query kind to make the field queryable`, s)
	}
	return t, nil
}

func (t *Tag) addKind(k Kind) error {
	known := false
	for _, kk := range knownKinds {
		known = known || kk == k
	}
	if !known {
		if _, isOption := tagOptions[string(k)]; isOption {
			return fmt.Errorf("qe tag option %q needs a value: write %s=VALUE", k, k)
		}
		return fmt.Errorf("unknown qe kind %q: use one of %s", k, kindList())
	}
	if t.Has(k) {
		return fmt.Errorf("qe kind %q is repeated: write it once", k)
	}
	t.Kinds = append(t.Kinds, k)
	return nil
}

func (t *Tag) addOption(name, value string) error {
	kind, known := tagOptions[name]
	if !known {
		return fmt.Errorf("unknown qe option %q: use one of %s", name, optionList())
	}
	if t.Option(name) != nil {
		return fmt.Errorf("qe option %q is set twice: keep one", name)
	}
	if value == "" {
		return fmt.Errorf("qe option %q has no value: write %s=VALUE", name, name)
	}
	opt := TagOption{Name: name, Raw: value}
	switch kind {
	case optInt:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Errorf("qe option %s=%s: want a whole number", name, value)
		}
		opt.Int = n
	case optBool:
		b, err := strconv.ParseBool(value)
		if err != nil || (value != "true" && value != "false") {
			return fmt.Errorf("qe option %s=%s: want true or false", name, value)
		}
		opt.Bool = b
	}
	t.Options = append(t.Options, opt)
	return nil
}

func kindList() string {
	names := make([]string, len(knownKinds))
	for i, k := range knownKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

func optionList() string {
	return "contention, min, max, sparsity, trimFactor, precision, strMinQueryLength, strMaxQueryLength, strMaxLength, caseSensitive, diacriticSensitive"
}
