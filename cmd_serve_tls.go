package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// checkListeners settles the Data Collector address and the TLS flags. An
// --addr on port 0 (tests, parallel runs) moves the default data address to
// a free port too, so two instances never fight over 8081.
func (c *serveConfig) checkListeners(dataAddrSet bool) error {
	if host, port, err := net.SplitHostPort(c.addr); err == nil && port == "0" && !dataAddrSet {
		c.dataAddr = net.JoinHostPort(host, "0")
	}
	if c.tls && c.caCert == "" {
		return usageError{errors.New("--tls needs --ca-cert FILE: where to write the CA certificate clients must trust")}
	}
	if !c.tls && c.caCert != "" {
		return usageError{errors.New("--ca-cert only makes sense with --tls")}
	}
	return nil
}

// serve opens the public API listener and, unless --data-addr is "off", the
// Data Collector listener (wrapping both in TLS with --tls), prints where
// they are and serves until ctx ends. Host headers route either listener to
// either vendor host, so one TLS front can stand in for both.
func (c serveConfig) serve(ctx context.Context, srv *mock.Server, log *slog.Logger, stdout, stderr io.Writer) error {
	scheme := "http"
	var tlsCfg *tls.Config
	if c.tls {
		cfg, caPEM, err := mock.NewTLS(mock.DefaultTLSHosts, time.Now())
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.caCert, caPEM, 0o644); err != nil {
			return fmt.Errorf("--ca-cert: %w", err)
		}
		tlsCfg, scheme = cfg, "https"
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	var dln net.Listener
	if c.dataAddr != "" && c.dataAddr != "off" {
		if dln, err = net.Listen("tcp", c.dataAddr); err != nil {
			ln.Close()
			return fmt.Errorf("--data-addr: %w", err)
		}
	}
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
		if dln != nil {
			dln = tls.NewListener(dln, tlsCfg)
		}
	}
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, ln.Addr())
	servers := []*http.Server{c.httpServer(srv, log)}
	listeners := []net.Listener{ln}
	if dln != nil {
		fmt.Fprintf(stderr, "data collector listening on %s://%s\n", scheme, dln.Addr())
		servers = append(servers, c.httpServer(srv.DataHandler(), log))
		listeners = append(listeners, dln)
	}
	if c.tls {
		fmt.Fprintf(stderr, "CA certificate written to %s (covers %v)\n", c.caCert, mock.DefaultTLSHosts)
	}
	return serveAll(ctx, servers, listeners)
}

// serveAll serves each server on its listener until ctx ends or one fails;
// then all shut down gracefully. It returns the first failure.
func serveAll(ctx context.Context, servers []*http.Server, listeners []net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(servers))
	for i := range servers {
		go func() {
			err := serveUntilDone(ctx, servers[i], listeners[i])
			cancel()
			errc <- err
		}()
	}
	var first error
	for range servers {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}
