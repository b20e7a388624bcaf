package generator

import (
	"fmt"
	"strings"
)

// Server is a MongoDB release line whose encryptedFields rules qegen applies.
type Server struct{ Major, Minor int }

// The targets -server accepts; rules change at each of them.
var (
	Server70 = Server{7, 0}
	Server80 = Server{8, 0}
	Server82 = Server{8, 2}
	Server90 = Server{9, 0}
)

// DefaultServer is the target when none is given.
var DefaultServer = Server80

var knownServers = []Server{Server70, Server80, Server82, Server90}

// ParseServer reads "7.0", "8.0", "8.2" or "9.0".
func ParseServer(s string) (Server, error) {
	for _, v := range knownServers {
		if v.String() == s {
			return v, nil
		}
	}
	names := make([]string, len(knownServers))
	for i, v := range knownServers {
		names[i] = v.String()
	}
	return Server{}, fmt.Errorf("unknown server version %q: use one of %s", s, strings.Join(names, ", "))
}

func (s Server) String() string { return fmt.Sprintf("%d.%d", s.Major, s.Minor) }

// AtLeast reports whether s is o or newer.
func (s Server) AtLeast(o Server) bool {
	return s.Major > o.Major || s.Major == o.Major && s.Minor >= o.Minor
}

// queryTypeName is the server's name for a kind at target s: 8.2 serves
// the text kinds as previews under other names, which 9.0 removed.
func queryTypeName(k Kind, s Server) string {
	switch k {
	case KindPrefix, KindSuffix, KindSubstring:
		if !s.AtLeast(Server90) {
			return string(k) + "Preview"
		}
	}
	return string(k)
}

// minServerFor is the first release that serves kind k.
func minServerFor(k Kind) Server {
	switch k {
	case KindRange:
		return Server80
	case KindPrefix, KindSuffix, KindSubstring:
		return Server82
	}
	return Server70
}
