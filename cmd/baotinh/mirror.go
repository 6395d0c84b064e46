package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/baotinh/baotinh/internal/sitegen"
)

func newMirrorCmd() *cobra.Command {
	var addr string
	c := &cobra.Command{
		Use:   "mirror [--addr 127.0.0.1:8081] DIR",
		Short: "Serve a directory of saved pages as a site mirror, for crawl --base-url (offline work, tests)",
		Long: `mirror serves DIR over HTTP the way a news site would: "/" is DIR/index.html, "/a/" is
DIR/a/index.html, "/x.html?fbclid=1" is DIR/x.html, with content types by extension, ETag and
Last-Modified, and 304 answers to conditional requests. Point crawl at it with --base-url; the stored
URLs keep the site's real origin. testdata/sites/ holds mirrors of both papers. It stops on Ctrl-C.`,
		DisableFlagsInUseLine: true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("mirror: want one DIR, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if fi, err := os.Stat(args[0]); err != nil || !fi.IsDir() {
				return &exitError{exitError1, fmt.Errorf("mirror: %s is not a directory", args[0])}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return &exitError{exitError1, fmt.Errorf("mirror: %w", err)}
			}
			srv := &http.Server{Handler: sitegen.Handler(args[0]), ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(c.OutOrStdout(), "serving %s at http://%s (Ctrl-C stops)\n", args[0], ln.Addr())
			go func() {
				<-c.Context().Done()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				srv.Shutdown(ctx)
			}()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return &exitError{exitError1, fmt.Errorf("mirror: %w", err)}
			}
			return nil
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8081", "address to listen on")
	return c
}
