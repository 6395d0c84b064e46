package index

import (
	"fmt"
	"time"

	"github.com/baotinh/baotinh/extract"
)

// ParseDay reads a day as YYYY-MM-DD in Vietnam's time (or an RFC 3339
// time). With endOfDay it returns the day's last instant.
func ParseDay(s string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, extract.Vietnam)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

// DayRange reads the from and to days of a filter ("" for none), both days
// included, as the From and To of a Search, Timeline or OfficialsFilter (To
// is the instant after the last day).
func DayRange(from, to string) (f, t time.Time, err error) {
	if from != "" {
		if f, err = ParseDay(from, false); err != nil {
			return f, t, fmt.Errorf("from: %w", err)
		}
	}
	if to != "" {
		if t, err = ParseDay(to, true); err != nil {
			return f, t, fmt.Errorf("to: %w", err)
		}
		t = t.Add(time.Nanosecond)
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return f, t, fmt.Errorf("to %s is before from %s", to, from)
	}
	return f, t, nil
}
