package analytics

import (
	"fmt"
	"strings"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// evalCtx carries what predicates may consult besides the row itself.
type evalCtx struct {
	w    *store.View
	idx  *store.SessionIndex
	cols []*propColumn // by accessor.col - 1, filled on first use
}

// userPred tests a user's session dates (ascending epoch ms, whole project).
type userPred func(dates []int64) bool

// compileUserFilter compiles a userFilters entry (MK-SQ "User Filters").
// latestSession, earliestSession and 2ndLatestSession test one date (a user
// without one never matches); sessionDatesArray tests every date: range
// means some date falls inside, outsideRange that none does, and the
// relational operators that every date satisfies them.
func compileUserFilter(f userFilterSpec, at string) (userPred, error) {
	op := strings.ToLower(f.Op)
	var test func(v float64) bool
	switch op {
	case "range", "outsiderange":
		if f.Min == nil && f.Max == nil {
			return nil, invalid(at+"/min", "required", "min and/or max", "%s: op %q needs min and/or max", at, f.Op)
		}
		lo, hi := f.Min, f.Max
		test = func(v float64) bool { return (lo == nil || v >= *lo) && (hi == nil || v <= *hi) }
	case "eq", "neq", "gt", "gte", "lt", "lte":
		if f.Value == nil {
			return nil, invalid(at+"/value", "required", "epoch ms", "%s: op %q needs a value (epoch ms)", at, f.Op)
		}
		want := *f.Value
		test = func(v float64) bool {
			switch op {
			case "eq":
				return v == want
			case "neq":
				return v != want
			case "gt":
				return v > want
			case "gte":
				return v >= want
			case "lt":
				return v < want
			}
			return v <= want
		}
	default:
		return nil, invalid(at+"/op", "enum", "eq, neq, gt, gte, lt, lte, range, outsideRange", "%s: unknown op %q", at, f.Op)
	}
	pick := func(n int) userPred {
		return func(d []int64) bool {
			i := len(d) - n
			if n < 0 {
				i = 0
			}
			if i < 0 || i >= len(d) {
				return false
			}
			m := test(float64(d[i]))
			if op == "outsiderange" {
				return !m
			}
			return m
		}
	}
	switch f.Field {
	case "latestSession":
		return pick(1), nil
	case "2ndLatestSession":
		return pick(2), nil
	case "earliestSession":
		return pick(-1), nil
	case "sessionDatesArray":
		return func(d []int64) bool {
			switch op {
			case "range":
				for _, t := range d {
					if test(float64(t)) {
						return true
					}
				}
				return false
			case "outsiderange":
				for _, t := range d {
					if test(float64(t)) {
						return false
					}
				}
				return true
			}
			for _, t := range d {
				if !test(float64(t)) {
					return false
				}
			}
			return len(d) > 0
		}, nil
	}
	return nil, invalid(at+"/field", "enum", "latestSession, earliestSession, 2ndLatestSession, sessionDatesArray", "%s: unknown user field %q", at, f.Field)
}

// compileObjectiveFilter compiles an objectiveFilters entry (MK-SQ
// "Objective Filters"). A session without a result for the objective
// version fails every type, "failed" included: it never attempted it.
func compileObjectiveFilter(f objectiveFilterSpec, at string) (rowPred, error) {
	needStep := func() (int, error) {
		if f.Step == nil {
			return 0, invalid(at+"/step", "required", "a step number", "%s: type %q needs step", at, f.Type)
		}
		return *f.Step, nil
	}
	var cmp func(v float64) bool
	if f.Op != "" || f.Value != nil {
		if f.Op == "" || f.Value == nil {
			return nil, invalid(at+"/op", "required", "op and value", "%s: type %q needs both op and value", at, f.Type)
		}
		want := *f.Value
		switch f.Op {
		case "eq":
			cmp = func(v float64) bool { return v == want }
		case "neq":
			cmp = func(v float64) bool { return v != want }
		case "gt":
			cmp = func(v float64) bool { return v > want }
		case "gte":
			cmp = func(v float64) bool { return v >= want }
		case "lt":
			cmp = func(v float64) bool { return v < want }
		case "lte":
			cmp = func(v float64) bool { return v <= want }
		}
	}
	numeric := func() error {
		if cmp == nil {
			return invalid(at+"/op", "required", "op and value", "%s: type %q needs op and value", at, f.Type)
		}
		return nil
	}
	id := f.ObjectiveVersionID
	result := func(x *evalCtx, r row) (objectiveResult, bool) {
		steps, ok := r.s.ObjectiveSteps(id)
		if !ok {
			return objectiveResult{}, false
		}
		if r.scene() && objectiveOwner(x.w, r.s, id, steps) != r.v {
			return objectiveResult{}, false
		}
		return objectiveResult{versionID: id, steps: steps}, true
	}
	switch f.Type {
	case "passed", "failed":
		want := f.Type == "passed"
		return func(x *evalCtx, r row) bool {
			o, ok := result(x, r)
			return ok && o.passed(x.w.ObjectiveStepCount(id, len(o.steps))) == want
		}, nil
	case "numStepsCompleted", "percentageStepsCompleted":
		if err := numeric(); err != nil {
			return nil, err
		}
		pct := f.Type == "percentageStepsCompleted"
		return func(x *evalCtx, r row) bool {
			o, ok := result(x, r)
			if !ok {
				return false
			}
			total := x.w.ObjectiveStepCount(id, len(o.steps))
			v := float64(o.succeeded())
			if pct {
				v = 100 * v / float64(max(total, 1))
			}
			return cmp(v)
		}, nil
	case "stepPassed", "stepFailed", "stepTime", "stepTimeToSessionEnd", "stepDuration", "stepTimeProportion":
		n, err := needStep()
		if err != nil {
			return nil, err
		}
		if f.Type != "stepPassed" && f.Type != "stepFailed" {
			if err := numeric(); err != nil {
				return nil, err
			}
		}
		kind := f.Type
		return func(x *evalCtx, r row) bool {
			o, ok := result(x, r)
			if !ok {
				return false
			}
			s, ok := o.step(n)
			if !ok {
				return false
			}
			start, end := int64(r.s.Start), int64(r.s.Start)+int64(r.s.Duration)
			t := stepDone(s)
			switch kind {
			case "stepPassed":
				return s.Result == fixtures.ResultSucceeded
			case "stepFailed":
				return s.Result != fixtures.ResultSucceeded
			case "stepTime":
				return cmp(float64(t - start))
			case "stepTimeToSessionEnd":
				return cmp(float64(end - t))
			case "stepDuration":
				return cmp(float64(s.Duration))
			}
			return cmp(float64(t-start) / float64(max(end-start, 1)))
		}, nil
	}
	return nil, invalid(at+"/type", "enum", "passed, failed, numStepsCompleted, ...", "%s: unknown objective filter type %q", at, fmt.Sprint(f.Type))
}
