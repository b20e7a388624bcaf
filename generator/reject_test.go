package generator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/schema"
)

// wantRE matches the expectations written beside the lines that must be
// reported: `// want "regexp"`, or `// want-next "regexp"` for the line
// below (where the reported line is itself a comment, such as a directive).
var (
	wantRE   = regexp.MustCompile(`// want(-next)?((?: +"(?:[^"\\]|\\.)*")+)`)
	quotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// TestReject loads each testdata/reject/*.txtar module and checks that
// qegen reports exactly the expected problems, each on its line.
func TestReject(t *testing.T) {
	cases, err := filepath.Glob("testdata/reject/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no reject cases: %v", err)
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir, server := extract(t, file, name)
			wants := collectWants(t, dir)
			_, err := Load(Config{Dir: dir, Patterns: []string{"./..."}, Target: server})
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Load returned %v, want an ErrorList", err)
			}
			list.Relative(dir)
			for _, e := range list {
				key := fmt.Sprintf("%s:%d", e.Pos.Filename, e.Pos.Line)
				if e.Pos.Column < 1 {
					t.Errorf("%s: no column in %q", key, e)
				}
				if !consume(wants, key, e.Msg()) {
					t.Errorf("unexpected error %s", e)
				}
			}
			for key, res := range wants {
				for _, re := range res {
					t.Errorf("%s: no error matching %q", key, re)
				}
			}
		})
	}
}

// extract writes the case's files into a scratch module and returns it
// with the target named by a "server: X.Y" line of the case's comment.
func extract(t *testing.T, file, name string) (string, schema.Release) {
	t.Helper()
	dir := t.TempDir()
	c, err := testmod.Extract(file, dir, "example.com/"+name)
	if err != nil {
		t.Fatal(err)
	}
	server := schema.DefaultRelease
	if c.Server != "" {
		if server, err = schema.ParseRelease(c.Server); err != nil {
			t.Fatal(err)
		}
	}
	return dir, server
}

// collectWants maps "file:line" to the regexps expected there.
func collectWants(t *testing.T, dir string) map[string][]*regexp.Regexp {
	t.Helper()
	wants := map[string][]*regexp.Regexp{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		for i, line := range strings.Split(string(src), "\n") {
			m := wantRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			lineNo := i + 1
			if m[1] == "-next" {
				lineNo++
			}
			key := fmt.Sprintf("%s:%d", rel, lineNo)
			for _, q := range quotedRE.FindAllString(m[2], -1) {
				pattern, err := strconv.Unquote(q)
				if err != nil {
					return fmt.Errorf("%s:%d: bad want %s", rel, i+1, q)
				}
				wants[key] = append(wants[key], regexp.MustCompile(pattern))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) == 0 {
		t.Fatal("case has no want comments")
	}
	return wants
}

// consume removes the first expectation at key that msg matches.
func consume(wants map[string][]*regexp.Regexp, key, msg string) bool {
	for i, re := range wants[key] {
		if re.MatchString(msg) {
			wants[key] = append(wants[key][:i], wants[key][i+1:]...)
			if len(wants[key]) == 0 {
				delete(wants, key)
			}
			return true
		}
	}
	return false
}
