// Command baotinh collects and studies Vietnamese provincial news: it
// crawls papers into a WARC archive, extracts officials and their titles,
// dates, figures and quotes from articles, indexes them, and answers
// searches, tables of officials and timelines.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
