package templates

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/qegen/qegen/generator"
)

// buildRelease, when set, names the emitters instead of the build: tests
// use it for a cache of their own.
var buildRelease string

// release identifies the emitters: the version and checksum of the qegen
// module a binary was built from, whether it is the main module
// (go install) or a dependency (go tool). A build from a checkout or a
// replaced module, whose emitters change without a version, is
// identified by the binary itself (executableID); "" renders every file.
func release() string {
	if buildRelease != "" {
		return buildRelease
	}
	if v := moduleRelease(); v != "" {
		return v
	}
	return executableID()
}

// moduleRelease is the version and checksum of the qegen module the
// binary was built from, "" for a checkout or a replaced module.
func moduleRelease() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, m := range append([]*debug.Module{&info.Main}, info.Deps...) {
		if m.Path != "github.com/qegen/qegen" {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Sum == "" {
			return ""
		}
		return m.Version + " " + m.Sum
	}
	return ""
}

// Cache remembers, for every file this build of qegen wrote, the fingerprint
// of the model it came from and a hash of the bytes written, so that the
// run after an edit renders only the files whose models changed. A file
// is skipped only when both still match: edited output, or a model qegen
// has not seen, is rendered again. It lives in the user's cache
// directory, never in the repository.
type Cache struct {
	path    string
	mu      sync.Mutex
	entries map[string]cacheEntry // by output path
	hits    int                   // files taken from disk by lookup
}

type cacheEntry struct {
	Fingerprint string // of the model file
	Output      string // sha256 of what was written
}

// OpenCache returns the cache of this build of qegen, or nil (render
// everything) when the build cannot be identified or there is no cache
// directory.
func OpenCache() *Cache {
	rel := release()
	dir, err := os.UserCacheDir()
	if rel == "" || err != nil {
		return nil
	}
	sum := sha256.Sum256([]byte(rel))
	c := &Cache{path: filepath.Join(dir, "qegen", "render-"+hex.EncodeToString(sum[:8])+".json"), entries: map[string]cacheEntry{}}
	if data, err := os.ReadFile(c.path); err == nil {
		if json.Unmarshal(data, &c.entries) != nil {
			c.entries = map[string]cacheEntry{} // unreadable: start again
		}
	}
	return c
}

// lookup returns the file on disk when it is what f renders to.
func (c *Cache) lookup(f *generator.File, fingerprint string) ([]byte, bool) {
	if c == nil || fingerprint == "" {
		return nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[f.OutputPath]
	c.mu.Unlock()
	if !ok || e.Fingerprint != fingerprint {
		return nil, false
	}
	src, err := os.ReadFile(f.OutputPath)
	if err != nil || hash(src) != e.Output {
		return nil, false
	}
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	return src, true
}

// Hits is how many files the cache spared rendering.
func (c *Cache) Hits() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// Record notes the outputs as written, from the model files they were
// rendered from, and saves the cache.
func (c *Cache) Record(m *generator.Model, outputs []generator.Output) error {
	if c == nil {
		return nil
	}
	for i, f := range m.Files {
		fp, err := f.Fingerprint()
		if err != nil {
			return err
		}
		c.entries[f.OutputPath] = cacheEntry{Fingerprint: fp, Output: hash(outputs[i].Content)}
	}
	data, err := json.Marshal(c.entries)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".render-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	pruneCaches(filepath.Dir(c.path), c.path)
	return nil
}

// cacheLifetime is how long the cache of another build is kept: every
// build from a checkout has its own, and most are never used again.
const cacheLifetime = 7 * 24 * time.Hour

// pruneCaches removes the caches of other builds not written for
// cacheLifetime. It is best effort: a cache left behind costs only space.
func pruneCaches(dir, keep string) {
	old, _ := filepath.Glob(filepath.Join(dir, "render-*.json"))
	for _, path := range old {
		if info, err := os.Stat(path); err == nil && path != keep && time.Since(info.ModTime()) > cacheLifetime {
			os.Remove(path)
		}
	}
}

func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
