// Command ingest_soak drives SDK-shaped gaze ingest at a running c3dmock
// Data Collector and reports the server's memory over time. It is run by
// bench/ingest_soak.sh; see there for the figures it is meant to produce.
//
// Each simulated device sends gaze batches the way the SDKs do: a session
// id "<epochSeconds>_<deviceId>", part numbers counting up from 1, 256
// snapshots a batch (position, rotation, gaze point), and the session
// properties on the first batch. A device starts a new session every
// -parts batches. Batches go out at -rate per second in total, spread over
// -devices connections.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("data", "http://127.0.0.1:18766", "Data Collector base URL")
	key := flag.String("key", "APIKEY:DATA demo-app-key", "Authorization header")
	scene := flag.String("scene", "2c2f0603-8f5c-4ff6-94ed-03542a4df34d", "scene id (project 4460)")
	version := flag.Int("version", 2, "scene version number")
	duration := flag.Duration("duration", 5*time.Minute, "how long to send")
	devices := flag.Int("devices", 16, "simulated devices (concurrent connections)")
	rate := flag.Float64("rate", 40, "batches per second, all devices together")
	points := flag.Int("points", 256, "gaze snapshots per batch (the SDKs' default batch size)")
	parts := flag.Int("parts", 60, "batches per session before a device starts a new one")
	pid := flag.Int("pid", 0, "server process id whose VmRSS/VmHWM to sample (0: none)")
	every := flag.Duration("every", 15*time.Second, "sampling interval")
	flag.Parse()

	var sent, ok, full, other, bytesSent atomic.Int64
	tick := time.NewTicker(time.Duration(float64(time.Second) / *rate))
	defer tick.Stop()
	work := make(chan struct{})
	stop := time.Now().Add(*duration)
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *devices}, Timeout: time.Minute}
	url := fmt.Sprintf("%s/v0/gaze/%s?version=%d", *base, *scene, *version)
	for d := range *devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dev := fmt.Sprintf("%032x", rand.Uint64()<<32|uint64(d))
			r := rand.New(rand.NewPCG(uint64(d), 1))
			start := time.Now().Unix() - int64(d)*1000
			part := 0
			for range work {
				part++
				if part > *parts {
					part, start = 1, start+3600
				}
				body := gazeBatch(r, dev, start, part, *points)
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("Authorization", *key)
				req.Header.Set("Content-Type", "application/json")
				sent.Add(1)
				bytesSent.Add(int64(len(body)))
				res, err := client.Do(req)
				if err != nil {
					other.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				switch res.StatusCode {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusInsufficientStorage:
					full.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}

	t0 := time.Now()
	fmt.Printf("%8s %9s %9s %8s %7s %9s %9s\n", "elapsed", "batches", "sent MB", "200", "507", "VmRSS MB", "VmHWM MB")
	report := func() {
		rss, hwm := memory(*pid)
		fmt.Printf("%7.0fs %9d %9.1f %8d %7d %9s %9s\n", time.Since(t0).Seconds(), sent.Load(),
			float64(bytesSent.Load())/1e6, ok.Load(), full.Load(), rss, hwm)
	}
	report()
	next := t0.Add(*every)
	for now := range tick.C {
		if now.After(stop) {
			break
		}
		if now.After(next) {
			report()
			next = next.Add(*every)
		}
		select {
		case work <- struct{}{}:
		default: // every device is busy: the server is the bottleneck; skip this slot
		}
	}
	close(work)
	wg.Wait()
	report()
	if n := other.Load(); n > 0 {
		fmt.Printf("%d batches failed with a status other than 200 or 507\n", n)
		os.Exit(1)
	}
}

// gazeBatch is one SDK gaze batch; the first part of a session carries the
// session properties, as the SDKs send them.
func gazeBatch(r *rand.Rand, dev string, start int64, part, n int) []byte {
	var b bytes.Buffer
	sid := strconv.FormatInt(start, 10) + "_" + dev
	fmt.Fprintf(&b, `{"userid":%q,"timestamp":%d,"sessionid":%q,"part":%d,"formatversion":"1.0","hmdtype":"Meta Quest 3","interval":0.1,`,
		dev, start, sid, part)
	b.WriteString(`"properties":{`)
	if part == 1 {
		fmt.Fprintf(&b, `"c3d.participant.id":"p-%s","c3d.participant.name":"Soak Tester","c3d.app.name":"Soak","c3d.app.version":"1.4.2",`+
			`"c3d.device.model":"Quest 3","c3d.device.os":"Android OS 12","c3d.device.memory":7680,"c3d.app.sdktype":"Unity",`+
			`"c3d.version":"1.6.3","c3d.roomsize":6.25,"c3d.geo.country":"Germany","c3d.app.inEditor":false`, dev[:8])
	}
	b.WriteString(`},"data":[`)
	t := float64(start) + float64(part-1)*float64(n)/10
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"time":%.3f,"p":[%.4f,%.4f,%.4f],"r":[%.4f,%.4f,%.4f,%.4f],"g":[%.4f,%.4f,%.4f]}`,
			t+float64(i)/10, r.Float64()*4-2, 1.5+r.Float64()*0.3, r.Float64()*4-2,
			r.Float64()*0.2, r.Float64()*2-1, r.Float64()*0.2, r.Float64(),
			r.Float64()*6-3, r.Float64()*2, r.Float64()*6-3)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// memory reads VmRSS and VmHWM of a process in MB ("-" when unknown).
func memory(pid int) (rss, hwm string) {
	rss, hwm = "-", "-"
	if pid == 0 {
		return
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[0], 64)
		switch k {
		case "VmRSS":
			rss = fmt.Sprintf("%.0f", kb/1024)
		case "VmHWM":
			hwm = fmt.Sprintf("%.0f", kb/1024)
		}
	}
	return
}
