package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strconv"
)

// executableID identifies the running binary, for a build from a checkout
// whose emitters change without a version: the go command's build ID,
// which changes with any source the binary was built from, or else a
// hash of the binary itself. "" when neither can be read.
func executableID() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return binaryID(exe)
}

// binaryID is executableID for the binary at path.
func binaryID(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 32<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return ""
	}
	if id := goBuildID(head[:n]); id != "" {
		return "buildid " + id
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return ""
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "sha256 " + hex.EncodeToString(h.Sum(nil))
}

var (
	// rawBuildID starts the build ID the linker writes at the start of
	// the text segment of Mach-O, PE and other non-ELF binaries.
	rawBuildID = []byte("\xff Go build ID: \"")
	// An ELF binary (little-endian) holds it in a note: name size 4, the
	// value's size, type 4, name "Go".
	elfNameSize = []byte{4, 0, 0, 0}
	elfTypeName = []byte{4, 0, 0, 0, 'G', 'o', 0, 0}
)

// goBuildID finds the go command's build ID in the first bytes of a
// binary, as cmd/internal/buildid does; "" when it is not there.
func goBuildID(head []byte) string {
	if i := bytes.Index(head, rawBuildID); i >= 0 {
		rest := head[i+len(rawBuildID)-1:]
		if j := bytes.IndexByte(rest[1:], '"'); j >= 0 {
			if id, err := strconv.Unquote(string(rest[:j+2])); err == nil && validBuildID(id) {
				return id
			}
		}
		return ""
	}
	for off := 0; ; {
		i := bytes.Index(head[off:], elfTypeName)
		if i < 0 {
			return ""
		}
		at := off + i
		off = at + 1
		if at < 8 || !bytes.Equal(head[at-8:at-4], elfNameSize) {
			continue
		}
		size := int(head[at-4]) | int(head[at-3])<<8 | int(head[at-2])<<16 | int(head[at-1])<<24
		start := at + len(elfTypeName)
		if size <= 0 || start+size > len(head) {
			continue
		}
		if id := string(head[start : start+size]); validBuildID(id) {
			return id
		}
	}
}

// validBuildID accepts what the go command writes, "actionID/contentID"
// and longer, so that a build ID set by hand (-ldflags=-buildid=x), which
// need not change with the source, makes qegen hash the binary instead.
func validBuildID(id string) bool {
	return len(id) >= 40 && bytes.Count([]byte(id), []byte("/")) >= 1
}
