package generator

import (
	"fmt"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
)

// Error is one problem in the user's models, tied to the place that causes
// it. Positions among Args (token.Position values) are printed as
// file:line, relative to the directory Relative was given, like Pos.
type Error struct {
	Pos      token.Position
	Format   string
	Args     []any
	Severity string // "" for an error, "warning" for a problem that does not stop qegen
	dir      string // for relative file names
}

// Msg is the message without its position.
func (e *Error) Msg() string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if p, ok := a.(token.Position); ok {
			a = fmt.Sprintf("%s:%d", RelativePath(e.dir, p.Filename), p.Line)
		}
		args[i] = a
	}
	msg := fmt.Sprintf(e.Format, args...)
	if e.Severity != "" {
		msg = e.Severity + ": " + msg
	}
	return msg
}

func (e *Error) Error() string {
	if !e.Pos.IsValid() {
		return "qegen: " + e.Msg() // no place to point at: say who speaks
	}
	return fmt.Sprintf("%s:%d:%d: %s", RelativePath(e.dir, e.Pos.Filename), e.Pos.Line, e.Pos.Column, e.Msg())
}

// ErrorList holds every problem found in one run, so users fix them all at once.
type ErrorList []*Error

func (l *ErrorList) add(pos token.Position, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Format: format, Args: args})
}

// Error lists the problems one per line, sorted by position.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// err returns nil for an empty list, so callers can write `return errs.err()`.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return l[i].Msg() < l[j].Msg()
	})
}

// Relative prints file names, of each position and of the positions in
// messages, relative to dir where that is shorter: what a user at a
// terminal in dir expects to read and click.
func (l ErrorList) Relative(dir string) {
	for _, e := range l {
		e.dir = dir
		e.Pos.Filename = RelativePath(dir, e.Pos.Filename)
	}
	l.sort()
}

// RelativePath is path relative to dir when it lies below dir, else path.
func RelativePath(dir, path string) string {
	if dir == "" || path == "" || !filepath.IsAbs(path) {
		return path
	}
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != ".." {
		return rel
	}
	return path
}
