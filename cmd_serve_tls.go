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
	if !c.tls && (c.caCert != "" || c.caKey != "") {
		return usageError{errors.New("--ca-cert and --ca-key only make sense with --tls")}
	}
	return nil
}

// certificateAuthority returns the CA that signs the server certificate and
// writes its certificate to --ca-cert. Without --ca-key the CA is new on
// every start. With it, a CA whose certificate and key files both exist is
// reused, so clients that trust it keep trusting it; otherwise a new one is
// made and both files are written (the key readable by the owner only).
func (c serveConfig) certificateAuthority(now time.Time, stderr io.Writer) (*mock.CA, error) {
	if c.caKey != "" {
		certPEM, certErr := os.ReadFile(c.caCert)
		keyPEM, keyErr := os.ReadFile(c.caKey)
		if certErr == nil && keyErr == nil {
			ca, err := mock.LoadCA(certPEM, keyPEM)
			if err != nil {
				return nil, fmt.Errorf("--ca-cert %s, --ca-key %s: %w (delete both to make a new CA)", c.caCert, c.caKey, err)
			}
			fmt.Fprintf(stderr, "reusing the CA in %s\n", c.caCert)
			return ca, nil
		}
	}
	ca, err := mock.NewCA(now)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(c.caCert, ca.CertPEM(), 0o644); err != nil {
		return nil, fmt.Errorf("--ca-cert: %w", err)
	}
	if c.caKey != "" {
		keyPEM, err := ca.KeyPEM()
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(c.caKey, keyPEM, 0o600); err != nil {
			return nil, fmt.Errorf("--ca-key: %w", err)
		}
	}
	return ca, nil
}

// serve opens the public API listener and, unless --data-addr is "off", the
// Data Collector listener (wrapping both in TLS with --tls), prints where
// they are and serves until ctx ends. Host headers route either listener to
// either vendor host, so one TLS front can stand in for both.
func (c serveConfig) serve(ctx context.Context, srv *mock.Server, log *slog.Logger, stdout, stderr io.Writer) error {
	scheme := "http"
	var tlsCfg *tls.Config
	if c.tls {
		ca, err := c.certificateAuthority(time.Now(), stderr)
		if err != nil {
			return err
		}
		if tlsCfg, err = ca.ServerTLS(mock.DefaultTLSHosts, time.Now()); err != nil {
			return err
		}
		scheme = "https"
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
	var dataAddr net.Addr
	if dln != nil {
		dataAddr = dln.Addr()
		servers = append(servers, c.httpServer(srv.DataHandler(), log))
		listeners = append(listeners, dln)
	}
	c.announce(stderr, log, scheme, ln.Addr(), dataAddr)
	return serveAll(ctx, servers, listeners, c.drainTimeout())
}

// serveAll serves each server on its listener until ctx ends or one fails;
// then all shut down gracefully, each draining for up to drain. It returns
// the first failure.
func serveAll(ctx context.Context, servers []*http.Server, listeners []net.Listener, drain time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(servers))
	for i := range servers {
		go func() {
			err := serveUntilDone(ctx, servers[i], listeners[i], drain)
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
