package generator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// qeTag returns a field's qe tag, and an error when the raw tag mentions
// qe but qegen cannot be sure what it says: a struct tag that is not well
// formed (reflect would not find the qe key, and the field would be stored
// in clear), a key spelled QE or Qe, or qe twice.
func qeTag(raw string) (value string, found bool, err error) {
	pairs, syntaxErr := parseStructTag(raw)
	if syntaxErr != nil {
		if strings.Contains(strings.ToLower(raw), "qe") {
			return "", false, fmt.Errorf("its struct tag is not well formed (%v), so qegen cannot tell whether it asks for encryption: write key:\"value\" pairs separated by spaces, e.g. `bson:\"ssn\" qe:\"equality\"`", syntaxErr)
		}
		return "", false, nil
	}
	for _, p := range pairs {
		switch {
		case p.key == "qe" && found:
			return "", false, errors.New(`its struct tag has qe twice: keep one`)
		case p.key == "qe":
			value, found = p.value, true
		case strings.EqualFold(p.key, "qe"):
			return "", false, fmt.Errorf("its struct tag has the key %s, which is not qe: struct tag keys are case-sensitive; write qe", p.key)
		}
	}
	return value, found, nil
}

type tagPair struct{ key, value string }

// parseStructTag reads a struct tag by the rules go vet's structtag check
// applies: key:"value" pairs, separated by spaces, values Go strings.
func parseStructTag(tag string) ([]tagPair, error) {
	var pairs []tagPair
	for {
		tag = strings.TrimLeft(tag, " ")
		if tag == "" {
			return pairs, nil
		}
		i := 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		switch {
		case i == 0:
			return nil, errors.New("a key is missing or starts with a bad character")
		case i+1 >= len(tag) || tag[i] != ':':
			return nil, fmt.Errorf("%q is not followed by a colon", tag[:i])
		case tag[i+1] != '"':
			return nil, fmt.Errorf("the value of %s is not a quoted string right after the colon", tag[:i])
		}
		key := tag[:i]
		tag = tag[i+1:]
		i = 1
		for i < len(tag) && tag[i] != '"' {
			if tag[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(tag) {
			return nil, fmt.Errorf("the value of %s has no closing quote", key)
		}
		value, err := strconv.Unquote(tag[:i+1])
		if err != nil {
			return nil, fmt.Errorf("the value of %s is not a valid Go string", key)
		}
		tag = tag[i+1:]
		if tag != "" && tag[0] != ' ' {
			return nil, fmt.Errorf("%s:%q is not separated from what follows by a space", key, value)
		}
		pairs = append(pairs, tagPair{key, value})
	}
}
