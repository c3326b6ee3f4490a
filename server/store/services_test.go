package store_test

import (
	"reflect"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/shipping"
)

func (f *fixture) service(sv shipping.Service) {
	f.t.Helper()
	if _, _, err := f.st.PutService(f.ctx, "test", sv); err != nil {
		f.t.Fatalf("put service %s: %v", sv.ID, err)
	}
}

func (f *fixture) rule(r shipping.Rule) {
	f.t.Helper()
	if _, _, err := f.st.PutServiceRule(f.ctx, "test", r); err != nil {
		f.t.Fatalf("put rule %s: %v", r.ID, err)
	}
}

// auditOf returns the audit trail of one entity kind, oldest first, as
// "actor action id: detail" lines.
func (f *fixture) auditOf(entity string) []string {
	f.t.Helper()
	entries, err := f.st.Audit(f.ctx, entity, "", 100)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		out = append(out, e.Actor+" "+e.Action+" "+e.EntityID+": "+e.Detail)
	}
	return out
}

func TestServicesStored(t *testing.T) {
	f := newFixture(t)
	sv := shipping.Service{ID: "local:next-day", Courier: "local", Code: "next-day", Name: "Next day",
		Cutoff: "14:00", Holidays: []string{"2026-12-25"}}
	got, created, err := f.st.PutService(f.ctx, "ann", sv)
	want := shipping.Service{ID: "local:next-day", Courier: "local", Code: "next-day", Name: "Next day",
		Cutoff: "14:00", Days: []string{"mon", "tue", "wed", "thu", "fri"}, Holidays: []string{"2026-12-25"}}
	if err != nil || !created || !reflect.DeepEqual(got, want) {
		t.Fatalf("PutService = %+v, %v, %v; want %+v, created", got, created, err, want)
	}
	sv.Cutoff, sv.Days, sv.Holidays = "13:30", []string{"mon-sat"}, nil
	if _, created, err := f.st.PutService(f.ctx, "bo", sv); err != nil || created {
		t.Fatalf("second PutService: created %v, %v", created, err)
	}
	stored, err := f.st.Service(f.ctx, "local:next-day")
	want.Cutoff, want.Days, want.Holidays = "13:30", []string{"mon", "tue", "wed", "thu", "fri", "sat"}, []string{}
	if err != nil || !reflect.DeepEqual(stored, want) {
		t.Errorf("Service = %+v, %v; want %+v", stored, err, want)
	}
	f.service(shipping.Service{ID: "easypost:usps-priority", Courier: "easypost", Code: "USPS:Priority",
		Cutoff: "16:00"})
	list, err := f.st.Services(f.ctx)
	if err != nil || len(list) != 2 || list[0].ID != "easypost:usps-priority" || list[1].ID != "local:next-day" {
		t.Errorf("Services = %+v, %v", list, err)
	}

	f.rule(shipping.Rule{ID: "fast", Levels: []string{"Expedited"}, Service: "local:next-day"})
	err = f.st.RemoveService(f.ctx, "ann", "local:next-day")
	if want := "service local:next-day is chosen by rules fast: change or remove them first"; err == nil ||
		err.Error() != want || oms.ErrorCode(err) != oms.EConflict {
		t.Errorf("remove a service in use: %v, want conflict %q", err, want)
	}
	if err := f.st.RemoveServiceRule(f.ctx, "ann", "fast"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RemoveService(f.ctx, "ann", "local:next-day"); err != nil {
		t.Fatal(err)
	}
	_, err = f.st.Service(f.ctx, "local:next-day")
	if err == nil || err.Error() != `no service "local:next-day"` || oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("Service after remove: %v", err)
	}
	err = f.st.RemoveService(f.ctx, "ann", "local:next-day")
	if err == nil || err.Error() != `no service "local:next-day"` || oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("remove twice: %v", err)
	}

	wantAudit := []string{
		"ann service.add local:next-day: courier local, code next-day, cutoff 14:00, days mon-fri, " +
			"holidays 2026-12-25",
		"bo service.set local:next-day: courier local, code next-day, cutoff 13:30, days mon-sat, holidays none",
		"test service.add easypost:usps-priority: courier easypost, code USPS:Priority, cutoff 16:00, " +
			"days mon-fri, holidays none",
		"ann service.remove local:next-day: courier local, code next-day",
	}
	if got := f.auditOf("service"); !reflect.DeepEqual(got, wantAudit) {
		t.Errorf("audit:\n%q\nwant:\n%q", got, wantAudit)
	}
}

func TestServiceValidation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		put  func() error
		want string
	}{
		{func() error {
			_, _, err := f.st.PutService(f.ctx, "t", shipping.Service{ID: "s", Courier: "local", Code: "c",
				Cutoff: "25:00"})
			return err
		}, `service s: cutoff "25:00": want a time of day HH:MM from 00:00 to 23:59`},
		{func() error {
			_, _, err := f.st.PutServiceRule(f.ctx, "t", shipping.Rule{ID: "r", Service: "nope"})
			return err
		}, `rule r: service "nope": no such service`},
		{func() error {
			_, _, err := f.st.PutServiceRule(f.ctx, "t", shipping.Rule{ID: "r", Countries: []string{"UK1"},
				Service: "nope"})
			return err
		}, `rule r: countries "UK1": a 2-letter ISO country code or *`},
	}
	for _, tt := range tests {
		if err := tt.put(); err == nil || err.Error() != tt.want || oms.ErrorCode(err) != oms.EInvalid {
			t.Errorf("error %v, want invalid %q", err, tt.want)
		}
	}
	if got := f.auditOf(""); len(got) != 0 {
		t.Errorf("refused changes were audited: %q", got)
	}
}

func TestServiceRulesStored(t *testing.T) {
	f := newFixture(t)
	f.service(shipping.Service{ID: "std", Courier: "local", Code: "standard", Cutoff: "16:00"})
	f.service(shipping.Service{ID: "nd", Courier: "local", Code: "next-day", Cutoff: "14:00"})
	r, created, err := f.st.PutServiceRule(f.ctx, "ann", shipping.Rule{ID: "fast",
		Levels: []string{"Expedited", "NextDay"}, Countries: []string{"gb"}, MaxGrams: 5000, Service: "nd"})
	want := shipping.Rule{ID: "fast", Channels: []string{"*"}, Levels: []string{"Expedited", "NextDay"},
		Countries: []string{"GB"}, MaxGrams: 5000, Service: "nd"}
	if err != nil || !created || !reflect.DeepEqual(r, want) {
		t.Fatalf("PutServiceRule = %+v, %v, %v", r, created, err)
	}
	f.rule(shipping.Rule{ID: "default", Service: "std"})
	f.rule(shipping.Rule{ID: "amazon", Priority: -5, Channels: []string{"amazon"}, Service: "std"})
	if _, created, err := f.st.PutServiceRule(f.ctx, "bo", shipping.Rule{ID: "default", Priority: 10,
		Service: "std"}); err != nil || created {
		t.Fatalf("replace rule: created %v, %v", created, err)
	}
	list, err := f.st.ServiceRules(f.ctx)
	var ids []string
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	if err != nil || !reflect.DeepEqual(ids, []string{"amazon", "fast", "default"}) {
		t.Errorf("ServiceRules order %q, %v", ids, err)
	}
	if got, err := f.st.ServiceRule(f.ctx, "fast"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ServiceRule = %+v, %v", got, err)
	}
	if err := f.st.RemoveServiceRule(f.ctx, "ann", "amazon"); err != nil {
		t.Fatal(err)
	}
	err = f.st.RemoveServiceRule(f.ctx, "ann", "amazon")
	if err == nil || err.Error() != `no service rule "amazon"` || oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("remove twice: %v", err)
	}
	wantAudit := []string{
		"ann service_rule.add fast: priority 0: channels *, levels Expedited,NextDay, countries GB, " +
			"under 5000 g -> nd",
		"test service_rule.add default: priority 0: channels *, levels *, countries *, any weight -> std",
		"test service_rule.add amazon: priority -5: channels amazon, levels *, countries *, any weight -> std",
		"bo service_rule.set default: priority 10: channels *, levels *, countries *, any weight -> std",
		"ann service_rule.remove amazon: priority -5: channels amazon, levels *, countries *, any weight -> std",
	}
	if got := f.auditOf("service_rule"); !reflect.DeepEqual(got, wantAudit) {
		t.Errorf("audit:\n%q\nwant:\n%q", got, wantAudit)
	}
}

// TestChooseService picks the service for an order's parcel from its
// level, country and weight, with each service's ship date in the
// warehouse's zone: at 15:00 in London on a Monday the next-day service's
// 14:00 cut-off has passed, the standard one's 16:00 has not.
func TestChooseService(t *testing.T) {
	f := newFixture(t)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	f.st.Zone = london
	f.st.Now = func() time.Time { return time.Date(2026, 6, 1, 14, 0, 0, 0, time.UTC) } // 15:00 BST
	f.catalog(stocked("MUG", "A-01-01"))
	in := orderInput("W-1", line("MUG", 1))
	in.ServiceLevel = "Expedited"
	o, _, err := f.st.CreateOrder(f.ctx, "test", in)
	if err != nil {
		t.Fatal(err)
	}
	f.service(shipping.Service{ID: "std", Courier: "local", Code: "standard", Cutoff: "16:00"})
	f.service(shipping.Service{ID: "nd", Courier: "local", Code: "next-day", Cutoff: "14:00"})
	f.rule(shipping.Rule{ID: "fast", Levels: []string{"expedited"}, MaxGrams: 5000, Service: "nd"})

	c, err := f.st.ChooseService(f.ctx, "W-1", 1200)
	if err != nil {
		t.Fatal(err)
	}
	wantFacts := shipping.Facts{Channel: "web", Level: "Expedited", Country: "GB", WeightGrams: 1200}
	if c.Order != o.Number || c.Facts != wantFacts || c.RuleID != "fast" || c.Service == nil ||
		c.Service.ID != "nd" || c.NoMatch != "" {
		t.Fatalf("choice %+v", c)
	}
	pickups := map[string]string{}
	for _, a := range c.Alternatives {
		pickups[a.ID] = a.Pickup.Date + " " + a.Pickup.Cutoff.UTC().Format(time.RFC3339)
	}
	want := map[string]string{"nd": "2026-06-02 2026-06-02T13:00:00Z", "std": "2026-06-01 2026-06-01T15:00:00Z"}
	if !reflect.DeepEqual(pickups, want) || *c.Service.Pickup != *c.Alternatives[0].Pickup {
		t.Errorf("pickups %v, want %v", pickups, want)
	}

	c, err = f.st.ChooseService(f.ctx, o.Number, 5000)
	if err != nil || c.Service != nil || c.RuleID != "" || len(c.Alternatives) != 2 ||
		c.NoMatch != "no rule matches: channel web, level Expedited, country GB, weight 5000 g" {
		t.Errorf("no match: %+v, %v", c, err)
	}
	_, err = f.st.ChooseService(f.ctx, o.Number, -1)
	if err == nil || err.Error() != "weight_g: -1 is not from 0 to 1000000" || oms.ErrorCode(err) != oms.EInvalid {
		t.Errorf("negative weight: %v", err)
	}
	_, err = f.st.ChooseService(f.ctx, "SO-999999", 1)
	if oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("unknown order: %v", err)
	}
}
