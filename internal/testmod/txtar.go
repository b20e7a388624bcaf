package testmod

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/txtar"
)

// Case is one txtar test case written out as a scratch module.
type Case struct {
	Archive *txtar.Archive
	// Server is the target from a "server: X.Y" line of the comment, or "".
	Server string
	// Expected holds the files named "stderr" or under "want/", which are
	// expectations rather than sources and are not written.
	Expected map[string][]byte
}

// Extract writes the sources of the txtar file into dir, with a go.mod
// for modulePath (see Write).
func Extract(file, dir, modulePath string) (*Case, error) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		return nil, err
	}
	c := &Case{Archive: ar, Expected: map[string][]byte{}}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, "server: "); ok {
			c.Server = strings.TrimSpace(v)
		}
	}
	for _, f := range ar.Files {
		if f.Name == "stderr" || strings.HasPrefix(f.Name, "want/") {
			c.Expected[f.Name] = f.Data
			continue
		}
		path := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return nil, err
		}
	}
	return c, Write(dir, modulePath)
}
