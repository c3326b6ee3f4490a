package server_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/labels"
)

// afterParcelsEndToEnd run, in order, at the end of TestParcelsEndToEnd
// with its server (the order SO-000001 shipped in four parcels from
// station S1, whose printer is emu): later features append their steps
// here, e.g. closing the day's manifest.
var afterParcelsEndToEnd []func(t *testing.T, ts *testServer, emu *printertest.Emulator)

// TestParcelsEndToEnd packs an order of four items into three parcels over
// the station's websocket with the local courier: Print labels before every
// item is packed is refused with the reason; once the parcels are weighed the
// labels print on the station's printer as 1/3, 2/3, 3/3 with three tracking
// numbers; a reprint of parcel 2 still says 2/3; then a fourth parcel is
// added through the API: the first consignment is voided and four labels x/4
// print, and the channel's outbox says shipped, voided, shipped.
func TestParcelsEndToEnd(t *testing.T) {
	ts := startServer(t, quickPrinters)
	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	if code, body := ts.call("POST", "/api/v1/orders", orderWith(`"qty": 2`, `"qty": 3`)); code != 201 {
		t.Fatalf("create order: %d %s", code, body)
	}
	ts.pick()
	station := ts.open("/ws/pack?station=S1&user=bo")
	station.next("idle")

	cmd := 0
	do := func(msg map[string]any) wsMsg {
		t.Helper()
		cmd++
		msg["id"] = fmt.Sprint("c", cmd)
		station.send(msg)
		for {
			m := station.next("")
			if (m.Type == "verdict" || m.Type == "error") && m.CmdID == msg["id"] {
				return m
			}
		}
	}
	scan := func(code string) wsMsg { return do(map[string]any{"type": "scan", "code": code}) }
	for _, step := range []struct {
		msg  map[string]any
		want string
	}{
		{map[string]any{"type": "scan", "code": "SO-000001"}, "Order SO-000001: scan each item"},
		{map[string]any{"type": "scan", "code": "MUG"}, "Mug 1 / 3"},
		{map[string]any{"type": "parcel"}, "Parcel 2 started: scan its items"},
		{map[string]any{"type": "scan", "code": "MUG"}, "Mug 2 / 3"},
		{map[string]any{"type": "scan", "code": "BOX-L"}, "Parcel 3 started in box L: scan its items"},
		{map[string]any{"type": "scan", "code": "MUG"}, "Mug 3 / 3"},
	} {
		if v := do(step.msg); !v.OK || v.Message != step.want {
			t.Fatalf("%v: %+v, want %q", step.msg, v, step.want)
		}
	}
	early := do(map[string]any{"type": "ship"})
	if early.OK || early.Message != "cannot release the label of order SO-000001: CUP verified 0 of 1" {
		t.Errorf("early Print labels: %+v", early)
	}
	if v := scan("CUP"); !v.OK || v.Message != "Cup 1 / 1" {
		t.Fatalf("last item: %+v", v)
	}
	if v := station.next("verdict"); !strings.Contains(v.Message, "Every item is packed, in 3 parcels") {
		t.Errorf("after the last item: %+v", v)
	}
	for k, grams := range []int{800, 750, 1200} {
		if v := do(map[string]any{"type": "weigh", "parcel": k + 1, "grams": grams}); !v.OK {
			t.Fatalf("weigh parcel %d: %+v", k+1, v)
		}
	}

	station.send(map[string]any{"type": "scan", "id": "ship", "code": "SHIP"})
	first := printedLabels(t, station, emu, 0, 3)
	if tracks := trackings(first); len(tracks) != 3 {
		t.Errorf("three parcels got tracking numbers %q", tracks)
	}

	job2 := first[1].JobID
	station.send(map[string]any{"type": "reprint", "id": "r1", "job_id": job2})
	if again := station.settled(station.next("label")); again.Status != "printed" || again.JobID != job2 {
		t.Fatalf("reprint of parcel 2: %+v", again)
	}
	jobs, err := emu.WaitJobs(t.Context(), 4)
	if err != nil || !bytes.Equal(jobs[3], jobs[1]) || !slices.Contains(labels.Fields(jobs[3]), "Parcel 2/3") {
		t.Errorf("the reprint of parcel 2 printed %q, %v", labels.Fields(jobs[3]), err)
	}

	code, body := ts.call("POST", "/api/v1/orders/SO-000001/parcels", `{"reason": "the cup rattles",
		"grams": 300, "box": "XS", "move": [{"sku": "CUP", "qty": 1, "from": 3}]}`)
	if code != 201 {
		t.Fatalf("add a parcel: %d %s", code, body)
	}
	second := printedLabels(t, station, emu, 4, 4)
	for _, tr := range trackings(second) {
		if slices.Contains(trackings(first), tr) {
			t.Errorf("the new labels reuse tracking number %s", tr)
		}
	}
	checkVoided(t, ts, first)
	station.send(map[string]any{"type": "reprint", "id": "r2", "job_id": job2})
	if e := station.next("error"); e.CmdID != "r2" || !strings.Contains(e.Message, "is a voided label") {
		t.Errorf("reprint of a voided label: %+v", e)
	}
	for _, step := range afterParcelsEndToEnd {
		step(t, ts, emu)
	}
}

// printedLabels reads n label messages, waits for the printer to have
// printed them after the skip jobs before, and checks each says "Parcel
// k/n" and carries its tracking number.
func printedLabels(t *testing.T, station *wsPage, emu *printertest.Emulator, skip, n int) []wsMsg {
	t.Helper()
	var out []wsMsg
	for range n {
		out = append(out, station.settled(station.next("label")))
	}
	jobs, err := emu.WaitJobs(t.Context(), skip+n)
	if err != nil {
		t.Fatal(err)
	}
	for k, l := range out {
		fields := labels.Fields(jobs[skip+k])
		want := fmt.Sprintf("Parcel %d/%d", k+1, n)
		if l.Status != "printed" || l.Parcel != k+1 || l.Parcels != n || !slices.Contains(fields, want) ||
			!slices.Contains(fields, l.Tracking) {
			t.Errorf("label %d: %+v printed %q, want %q and its tracking number", k+1, l, fields, want)
		}
	}
	return out
}

func trackings(ls []wsMsg) []string {
	var out []string
	for _, l := range ls {
		if l.Tracking != "" && !slices.Contains(out, l.Tracking) {
			out = append(out, l.Tracking)
		}
	}
	return out
}

// checkVoided checks the first labels are voided on the order and the
// fulfilment outbox says shipped, voided, shipped.
func checkVoided(t *testing.T, ts *testServer, first []wsMsg) {
	t.Helper()
	_, body := ts.call("GET", "/api/v1/orders/SO-000001", "")
	var got struct {
		Shipments []struct {
			Tracking string `json:"tracking"`
			Voided   bool   `json:"voided"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal(body, &got); err != nil || len(got.Shipments) != 7 {
		t.Fatalf("order after the fourth parcel: %s, %v", body, err)
	}
	for i, sh := range got.Shipments {
		if sh.Voided != (i < 3) || i < 3 && sh.Tracking != first[i].Tracking {
			t.Errorf("shipment %d: %+v", i, sh)
		}
	}
	db, err := sql.Open("sqlite3", "file:"+ts.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var kinds string
	err = db.QueryRow(`SELECT group_concat(kind, ',') FROM (SELECT kind FROM fulfilment_outbox ORDER BY id)`).
		Scan(&kinds)
	if err != nil || kinds != "shipped,voided,shipped" {
		t.Errorf("fulfilment outbox %q, %v; want shipped,voided,shipped", kinds, err)
	}
}
