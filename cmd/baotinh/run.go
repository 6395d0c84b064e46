package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// exitError carries the exit status a failure should end the process with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Exit statuses.
const (
	exitOK     = 0
	exitError1 = 1 // the command ran and failed (unreadable input, I/O)
	exitUsage  = 2 // bad flags or arguments
)

func usageError(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

// Run runs the baotinh command line with args (without the program name)
// and returns the process exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown command") {
		msg = strings.Join(strings.Fields(msg), " ") // cobra's suggestion on the same line
	}
	fmt.Fprintf(stderr, "baotinh: %s\n", msg)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if isFlagError(err) || strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "required flag") {
		return exitUsage
	}
	return exitError1
}

// flagError marks errors cobra reports for bad flags and arguments.
type flagError struct{ error }

func isFlagError(err error) bool {
	var fe flagError
	return errors.As(err, &fe)
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "baotinh",
		Short: "Collect and study Vietnamese provincial news: officials, titles, quotes, dates, figures",
		Long: `baotinh reads articles of Vietnamese provincial newspapers (Báo Hà Tĩnh, Báo Sơn La and others)
and extracts the people and their official titles, dates, figures, documents, quotes and terms,
with evidence (byte spans) for every fact.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return flagError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(newExtractCmd(), newCrawlCmd(), newSearchCmd(), newOfficialsCmd(), newTimelineCmd(),
		newExportCmd(), newStatsCmd(), newReindexCmd(), newServeCmd(), newDemoCmd(), newMirrorCmd())
	return root
}
