// Command baotinh collects and studies Vietnamese provincial news: it
// extracts officials and their titles from articles, and (in later
// subcommands) crawls, indexes and searches them.
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
