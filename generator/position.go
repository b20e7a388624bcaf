package generator

import (
	"go/token"
	"strconv"
	"strings"
)

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
