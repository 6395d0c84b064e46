//go:build !unix

package crawler

import (
	"errors"
	"os"
)

// Without flock, a lock is a file opened exclusively by name; a crashed crawl
// leaves it behind and the user removes it.
func tryLock(f *os.File) error {
	g, err := os.OpenFile(f.Name()+".held", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return errors.New("held")
	}
	return g.Close()
}

func unlock(f *os.File) error { return os.Remove(f.Name() + ".held") }
