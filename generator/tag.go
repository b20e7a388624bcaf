package generator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/qegen/qegen/schema"
)

// Tag is a parsed `qe` struct tag. Options keep the order they were written in.
type Tag struct {
	Kinds   []schema.Kind
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
func (t *Tag) Has(k schema.Kind) bool {
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
			if err := t.addKind(item); err != nil {
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
	if t.Has(schema.Encrypt) && len(t.Kinds) > 1 {
		return nil, fmt.Errorf(`qe tag %q combines "encrypt" with a query kind: "encrypt" means not queryable; keep only the query kind to make the field queryable`, s)
	}
	return t, nil
}

func (t *Tag) addKind(s string) error {
	k, known := schema.ParseKind(s)
	if !known {
		if _, isOption := schema.LookupOption(s); isOption {
			return fmt.Errorf("qe tag option %q needs a value: write %s=VALUE", s, s)
		}
		return fmt.Errorf("unknown qe kind %q: use one of %s", s, kindList())
	}
	if t.Has(k) {
		return fmt.Errorf("qe kind %q is repeated: write it once", k)
	}
	t.Kinds = append(t.Kinds, k)
	return nil
}

func (t *Tag) addOption(name, value string) error {
	o, known := schema.LookupOption(name)
	if !known {
		return fmt.Errorf("unknown qe option %q: use one of %s", name, strings.Join(schema.OptionNames(), ", "))
	}
	if t.Option(name) != nil {
		return fmt.Errorf("qe option %q is set twice: keep one", name)
	}
	if value == "" {
		return fmt.Errorf("qe option %q has no value: write %s=VALUE", name, name)
	}
	opt := TagOption{Name: name, Raw: value}
	switch o.Value {
	case schema.IntValue:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Errorf("qe option %s=%s: want a whole number", name, value)
		}
		opt.Int = n
	case schema.BoolValue:
		if value != "true" && value != "false" {
			return fmt.Errorf("qe option %s=%s: want true or false", name, value)
		}
		opt.Bool = value == "true"
	}
	t.Options = append(t.Options, opt)
	return nil
}

func kindList() string {
	names := make([]string, len(schema.Kinds))
	for i, k := range schema.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
