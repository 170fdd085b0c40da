package mock

import (
	"hash/fnv"
	"net/http"
	"sort"
	"strconv"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock/store"
)

// resolvedRemote is one resolved remote variable, as the SDKs read it (api.md §8.2).
type resolvedRemote struct {
	Name               string   `json:"name,omitempty"`
	Description        string   `json:"description,omitempty"`
	RemoteVariableName string   `json:"remoteVariableName"`
	Type               string   `json:"type"`
	ValueString        *string  `json:"valueString,omitempty"`
	ValueInt           *int64   `json:"valueInt,omitempty"`
	ValueFloat         *float64 `json:"valueFloat,omitempty"` // type "float" (Unreal RemoteControls.cpp)
	ValueBoolean       *bool    `json:"valueBoolean,omitempty"`
}

// remoteVariables is the answer of /v0/remotevariables and /v0/appvariables.
type remoteVariables struct {
	ABTests              []resolvedRemote `json:"abTests"`
	RemoteConfigurations []resolvedRemote `json:"remoteConfigurations"`
}

// getRemoteVariables resolves the application key's project's enabled remote
// configurations and A/B tests for one participant (?identifier=). A/B
// assignment hashes the identifier with the test, so a participant always
// gets the same arm (the vendor's non-sticky re-rolls are not modelled).
func getRemoteVariables(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		vars := map[int64]fixtures.RemoteVariable{}
		for _, v := range st.RemoteVariables().List(pid) {
			vars[v.ID] = v
		}
		out := remoteVariables{ABTests: []resolvedRemote{}, RemoteConfigurations: []resolvedRemote{}}
		for _, c := range st.RemoteConfigurations().List(pid) {
			v, ok := vars[c.RemoteVariableID]
			if !c.Enabled || !ok {
				continue
			}
			out.RemoteConfigurations = append(out.RemoteConfigurations, resolvedRemote{Name: c.Name, Description: c.Description,
				RemoteVariableName: v.Name, Type: v.Type, ValueString: c.OverrideValueString, ValueInt: c.OverrideValueInt, ValueFloat: c.OverrideValueFloat, ValueBoolean: c.OverrideValueBoolean})
		}
		identifier := r.URL.Query().Get("identifier")
		for _, t := range st.ABTests().List(pid) {
			v, ok := vars[t.RemoteVariableID]
			if !t.IsEnabled || !ok {
				continue
			}
			rv := resolvedRemote{Name: t.Name, RemoteVariableName: v.Name, Type: v.Type, ValueString: v.ValueString, ValueInt: v.ValueInt, ValueFloat: v.ValueFloat, ValueBoolean: v.ValueBoolean}
			if arm, ok := abArm(t, identifier); ok {
				rv.ValueString, rv.ValueInt, rv.ValueFloat, rv.ValueBoolean = arm.ValueString, arm.ValueInt, arm.ValueFloat, arm.ValueBoolean
			}
			out.ABTests = append(out.ABTests, rv)
		}
		sort.Slice(out.ABTests, func(i, j int) bool { return out.ABTests[i].Name < out.ABTests[j].Name })
		sort.Slice(out.RemoteConfigurations, func(i, j int) bool { return out.RemoteConfigurations[i].Name < out.RemoteConfigurations[j].Name })
		return writeJSON(w, http.StatusOK, out)
	}
}

// abArm picks the participant's arm: a point in [0,100) from the hash of test
// and identifier; below RemoteVariableProbability keeps the variable's own
// value (ok false), otherwise the alternatives share the rest in order.
func abArm(t fixtures.ABTest, identifier string) (fixtures.ABTestVariable, bool) {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(t.ID, 10) + "\x00" + identifier))
	point := float64(h.Sum64()%10000) / 100
	if point < t.RemoteVariableProbability {
		return fixtures.ABTestVariable{}, false
	}
	acc := t.RemoteVariableProbability
	for _, v := range t.Variables {
		acc += v.Probability
		if point < acc {
			return v, true
		}
	}
	return fixtures.ABTestVariable{}, false
}
