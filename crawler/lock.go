package crawler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrLocked is returned when another crawl holds a data directory.
var ErrLocked = errors.New("crawler: another crawl is running")

// A Lock holds a data directory for one crawl at a time.
type Lock struct {
	f    *os.File
	path string
}

// AcquireLock takes the crawl lock of a data directory at once or fails with
// an error naming the process that holds it. The lock is released by Release
// or when the process ends, however it ends.
func AcquireLock(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	path := filepath.Join(dir, "crawl.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("crawler: lock: %w", err)
	}
	if err := tryLock(f); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "unknown process"
		}
		return nil, fmt.Errorf("%w in %s: %s", ErrLocked, dir, who)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "pid %d (%s), started %s\n", os.Getpid(), strings.Join(os.Args, " "), time.Now().Format(time.RFC3339))
	f.Sync()
	return &Lock{f: f, path: path}, nil
}

// Release frees the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := unlock(l.f)
	l.f.Close()
	l.f = nil
	return err
}
