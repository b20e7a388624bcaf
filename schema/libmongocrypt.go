package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a libmongocrypt version: major, minor, patch.
type Version [3]int

// ParseVersion reads "1.21.1", "1.21.1-pre" or "1.22.0-20260101+git0123";
// anything after the numbers is ignored.
func ParseVersion(s string) Version {
	var v Version
	for i, part := range strings.SplitN(s, ".", 3) {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		v[i], _ = strconv.Atoi(part[:end])
		if end < len(part) {
			break
		}
	}
	return v
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// Less reports whether v is older than o.
func (v Version) Less(o Version) bool {
	for i := range v {
		if v[i] != o[i] {
			return v[i] < o[i]
		}
	}
	return false
}

// Span is the libmongocrypt releases that serve something: from First up
// to, not including, Removed (zero: still served).
type Span struct {
	First, Removed Version
	Why            string // says what needs which version, for errors
}

// Contains reports whether v is in the span.
func (s Span) Contains(v Version) bool {
	return !v.Less(s.First) && (s.Removed == Version{} || v.Less(s.Removed))
}

// LibmongocryptSpan is what a field needs of libmongocrypt: its query
// type's span, or that of unindexed encryption.
func (f Field) LibmongocryptSpan() []Span {
	spans := []Span{unindexed}
	for _, q := range f.Queries {
		if t, ok := LookupQueryType(q.Type); ok {
			spans = append(spans, t.Libmongocrypt)
		}
	}
	return spans
}
