package schema

import (
	"fmt"
	"strings"
)

// Release is a MongoDB release line whose rules qegen applies.
type Release struct{ Major, Minor int }

// The releases qegen generates for; the rules change at each of them.
var (
	Release70 = Release{7, 0} // Queryable Encryption v2: equality, unindexed
	Release80 = Release{8, 0} // range
	Release82 = Release{8, 2} // text search as a preview (prefixPreview, ...)
	Release90 = Release{9, 0} // text search GA (prefix, suffix, substring)
)

// Releases lists the targets in order.
var Releases = []Release{Release70, Release80, Release82, Release90}

// DefaultRelease is the target when none is given.
var DefaultRelease = Release80

// ParseRelease reads "7.0", "8.0", "8.2" or "9.0".
func ParseRelease(s string) (Release, error) {
	names := make([]string, len(Releases))
	for i, r := range Releases {
		if r.String() == s {
			return r, nil
		}
		names[i] = r.String()
	}
	return Release{}, fmt.Errorf("unknown server version %q: use one of %s", s, strings.Join(names, ", "))
}

func (r Release) String() string { return fmt.Sprintf("%d.%d", r.Major, r.Minor) }

// AtLeast reports whether r is o or newer.
func (r Release) AtLeast(o Release) bool {
	return r.Major > o.Major || r.Major == o.Major && r.Minor >= o.Minor
}

// IsZero reports whether r is unset.
func (r Release) IsZero() bool { return r == Release{} }
