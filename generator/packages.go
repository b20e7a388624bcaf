package generator

import (
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// triage reports a package's load errors, and returns its type errors,
// which wait until every package is read (see Build).
func (b *builder) triage(pkg *packages.Package) []packages.Error {
	var typeErrs []packages.Error
	for _, e := range pkg.Errors {
		switch {
		case e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# "+pkg.PkgPath+"\n"):
			// The compiler's output from building export data for this
			// package: the type check reports the same problems with
			// positions, and without qegen's own stale output.
		case e.Kind == packages.TypeError:
			typeErrs = append(typeErrs, e)
		default:
			b.errs = append(b.errs, &Error{Pos: parsePosition(e.Pos), Format: "%s", Args: []any{e.Msg}})
		}
	}
	return typeErrs
}

var identRE = regexp.MustCompile(`[\pL_][\pL\pN_]*`)

// refersTo reports whether a type error is a use of code qegen generates,
// such as a call to a repository method: this run writes it, so the error
// is expected while the output is missing or stale.
func refersTo(msg string, generated map[string]bool) bool {
	if !strings.Contains(msg, "undefined") {
		return false
	}
	for _, id := range identRE.FindAllString(msg, -1) {
		if generated[id] {
			return true
		}
	}
	return false
}

// parsePosition reads the "file:line:col" (or "file:line") form go/packages
// reports errors in; anything else is kept whole as the file name.
func parsePosition(s string) token.Position {
	rest, last, ok := cutNumber(s)
	if !ok {
		return token.Position{Filename: s}
	}
	if file, line, ok := cutNumber(rest); ok {
		return token.Position{Filename: file, Line: line, Column: last}
	}
	return token.Position{Filename: rest, Line: last}
}

// cutNumber splits "rest:N" into rest and N.
func cutNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 0 {
		return s, 0, false
	}
	return s[:i], n, true
}
