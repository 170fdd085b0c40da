package main

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock"
)

// The parts of start-up, each on its own (bench/startup.sh times the whole,
// exec to the first healthy answer). serve runs the spec load and the world
// build side by side (mock.Prepare), so start-up is about exec + the longer
// of the two + server and listener.

var benchNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func BenchmarkStartupSpecLoad(b *testing.B) {
	for b.Loop() {
		var cfg mock.Config
		if err := loadSpecs(context.Background(), &cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStartupWorldBuild(b *testing.B) {
	for b.Loop() {
		if _, err := fixtures.Build(fixtures.Options{Seed: 1, Now: benchNow, Sessions: 500}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartupServer is NewServer once the world is built: the fork,
// the two hosts' routers and validators.
func BenchmarkStartupServer(b *testing.B) {
	cfg := mock.Config{Seed: 1, Now: func() time.Time { return benchNow }}
	if err := loadSpecs(context.Background(), &cfg); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := mock.NewServer(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartupListener is a listener and the first healthy answer.
func BenchmarkStartupListener(b *testing.B) {
	cfg := mock.Config{Seed: 1, Now: func() time.Time { return benchNow }}
	if err := loadSpecs(context.Background(), &cfg); err != nil {
		b.Fatal(err)
	}
	srv, err := mock.NewServer(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		hs := &http.Server{Handler: srv}
		go hs.Serve(ln)
		res, err := http.Get("http://" + ln.Addr().String() + "/__c3dmock/healthz")
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatal(err, res)
		}
		res.Body.Close()
		hs.Close()
	}
}
