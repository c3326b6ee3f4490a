package store_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func TestQueueCourierLabel(t *testing.T) {
	f := newFixture(t)
	db := f.raw()
	data := []byte("^XA^GFB,2,2,1,\x00\xff^FS^XZ\r\n")
	job, _, err := f.st.QueueCourierLabel(f.ctx, store.CourierLabel{Station: "S1", Actor: "ann",
		Printer: "tcp 127.0.0.1:9100", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	want := store.PrintJob{ID: "courier-1", Station: "S1", Printer: "tcp 127.0.0.1:9100", Data: data,
		Status: "queued"}
	if job.ID != want.ID || job.Station != want.Station || job.Printer != want.Printer ||
		!bytes.Equal(job.Data, data) || job.Status != want.Status {
		t.Errorf("job %+v, want %+v", job, want)
	}

	stored, err := f.st.PrintJob(f.ctx, "courier-1")
	if err != nil || !bytes.Equal(stored.Data, data) || stored.Status != "queued" || stored.Station != "S1" {
		t.Errorf("PrintJob(courier-1) = %+v, %v; want the exact bytes, queued at S1", stored, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM print_jobs WHERE id = 'courier-1' AND shipment_id IS NULL`); n != 1 {
		t.Errorf("%d courier jobs without a shipment, want 1", n)
	}
	audit, err := f.st.Audit(f.ctx, "print_job", "courier-1", 10)
	if err != nil || len(audit) != 1 || audit[0].Actor != "ann" || audit[0].Action != "label.passthrough" ||
		audit[0].Detail != "station S1, 24 bytes of courier ZPL on tcp 127.0.0.1:9100" {
		t.Errorf("audit of courier-1: %+v, %v", audit, err)
	}

	again, _, err := f.st.QueueCourierLabel(f.ctx, store.CourierLabel{Station: "S2", Actor: "bo", Data: data})
	if err != nil || again.ID != "courier-2" {
		t.Errorf("second courier label: %+v, %v; want courier-2", again, err)
	}

	// A courier label that fails to print is not an order's exception.
	if err := f.st.SetJobStatus(f.ctx, "courier-1", "failed", "printer off"); err != nil {
		t.Fatal(err)
	}
	if c, err := f.st.Counts(f.ctx); err != nil || c.Exception != 0 {
		t.Errorf("counts after a failed courier label: %+v, %v; want no exception", c, err)
	}
}

func TestQueueCourierLabelRefused(t *testing.T) {
	tests := []struct {
		name  string
		label store.CourierLabel
		want  string
	}{
		{"no station", store.CourierLabel{Actor: "ann", Data: []byte("^XA^XZ")},
			"courier label: station is required"},
		{"no data", store.CourierLabel{Station: "S1", Actor: "ann"}, "courier label: the label is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			db := f.raw()
			before := dump(t, db, tables...)
			_, _, err := f.st.QueueCourierLabel(f.ctx, tt.label)
			wantErr(t, err, oms.EInvalid, tt.want)
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused courier label changed the database:\n%s", after)
			}
		})
	}
}

func TestPrintJobs(t *testing.T) {
	f := packFixture(t)
	if jobs, err := f.st.PrintJobs(f.ctx, "", 10); err != nil || len(jobs) != 0 {
		t.Fatalf("PrintJobs of a new store: %+v, %v; want none", jobs, err)
	}
	f.mustPack("S1", "W-1")
	for _, code := range []string{"MUG", "MUG", "CUP"} {
		f.mustPack("S1", code)
	}
	sh, label, err := f.release("S1")
	if err != nil {
		t.Fatal(err)
	}
	for _, station := range []string{"S2", "S1"} {
		if _, _, err := f.st.QueueCourierLabel(f.ctx, store.CourierLabel{Station: station, Actor: "ann",
			Printer: "spool test", Data: []byte("^XA^XZ")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.SetJobStatus(f.ctx, "courier-2", "printed", ""); err != nil {
		t.Fatal(err)
	}

	jobs, err := f.st.PrintJobs(f.ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	if want := []string{"courier-2", "courier-1", label.ID}; !slices.Equal(ids, want) {
		t.Fatalf("PrintJobs ids %q, want %q, newest first", ids, want)
	}
	own := jobs[2]
	if own.Kind != "shipping" || own.OrderNumber != "SO-000001" || own.Tracking != sh.Tracking ||
		own.Station != "S1" || own.Status != "queued" || own.Bytes != len("label SO-000001 TRK000001") ||
		own.CreatedAt == "" {
		t.Errorf("shipping label %+v", own)
	}
	if c := jobs[0]; c.Kind != "courier" || c.OrderNumber != "" || c.Tracking != "" || c.Station != "S1" ||
		c.Status != "printed" || c.Bytes != 6 || c.Printer != "spool test" {
		t.Errorf("courier label %+v", c)
	}

	tests := []struct {
		station string
		limit   int
		want    []string
	}{
		{"S1", 10, []string{"courier-2", label.ID}},
		{"S2", 10, []string{"courier-1"}},
		{"S3", 10, nil},
		{"", 1, []string{"courier-2"}},
	}
	for _, tt := range tests {
		jobs, err := f.st.PrintJobs(f.ctx, tt.station, tt.limit)
		var got []string
		for _, j := range jobs {
			got = append(got, j.ID)
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("PrintJobs(%q, %d) = %q, %v; want %q", tt.station, tt.limit, got, err, tt.want)
		}
	}
}
