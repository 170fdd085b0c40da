package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Remote variables, remote configurations and A/B tests (api.md §6.10).
// PUT replaces the whole resource, as its body schema requires the same
// fields as POST.

// remoteValue is the value of a variable, an override or an A/B test
// alternative: exactly one of its fields is set.
type remoteValue struct {
	ValueInt     *int64   `json:"valueInt"`
	ValueFloat   *float64 `json:"valueFloat"`
	ValueString  *string  `json:"valueString"`
	ValueBoolean *bool    `json:"valueBoolean"`
}

// remoteField names the value field of each kind ("value" + Int, …).
var remoteField = map[string]string{"int": "Int", "float": "Float", "string": "String", "boolean": "Boolean"}

// kind returns int, float, string or boolean; "" when no value is set. More than one is 400.
func (v remoteValue) kind(prefix string) (string, error) {
	var kinds []string
	if v.ValueInt != nil {
		kinds = append(kinds, "int")
	}
	if v.ValueFloat != nil {
		kinds = append(kinds, "float")
	}
	if v.ValueString != nil {
		kinds = append(kinds, "string")
	}
	if v.ValueBoolean != nil {
		kinds = append(kinds, "boolean")
	}
	if len(kinds) > 1 {
		return "", &apierr.Error{Code: apierr.CodeInvalid, Message: fmt.Sprintf("set only one of %[1]sInt, %[1]sFloat, %[1]sString, %[1]sBoolean", prefix), Field: "/" + prefix + remoteField[kinds[1]], Rule: "oneOf"}
	}
	if len(kinds) == 0 {
		return "", nil
	}
	return kinds[0], nil
}

// mustMatch refuses a value whose type is not the variable's.
func mustMatch(kind string, v fixtures.RemoteVariable, field string) error {
	if kind != "" && kind != v.Type {
		return &apierr.Error{Code: apierr.CodeInvalid, Message: fmt.Sprintf("remote variable %s is %s; %s is %s", v.Name, v.Type, field, kind), Field: field, Rule: "type", Expected: v.Type}
	}
	return nil
}

// putRemoteVariable serves createRemoteVariable (path without an id) and updateRemoteVariable.
func putRemoteVariable(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name string `json:"name"`
			remoteValue
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		kind, err := in.kind("value")
		if err != nil {
			return err
		}
		if kind == "" {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "a remote variable needs one of valueString, valueInt, valueFloat, valueBoolean", Field: "/valueString", Rule: "required"}
		}
		v := fixtures.RemoteVariable{Name: in.Name, Type: kind, ValueInt: in.ValueInt, ValueFloat: in.ValueFloat, ValueString: in.ValueString, ValueBoolean: in.ValueBoolean}
		id := store.ParseID(r.PathValue("remoteVariableId"))
		if v, err = st.PutRemoteVariable(targetsOf(r).ProjectID, id, v); err != nil {
			return err
		}
		return writeJSON(w, createdOr(id), v)
	}
}

// createdOr is 201 for a create (no id in the path) and 200 for an update.
func createdOr(id int64) int {
	if id == 0 {
		return http.StatusCreated
	}
	return http.StatusOK
}

// putRemoteConfiguration serves createRemoteConfiguration and updateRemoteConfiguration.
// enabled defaults to true; the override, if any, has the variable's type.
func putRemoteConfiguration(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name                 string   `json:"name"`
			Description          string   `json:"description"`
			RemoteVariableID     int64    `json:"remoteVariableId"`
			Enabled              *bool    `json:"enabled"`
			OverrideValueInt     *int64   `json:"overrideValueInt"`
			OverrideValueFloat   *float64 `json:"overrideValueFloat"`
			OverrideValueString  *string  `json:"overrideValueString"`
			OverrideValueBoolean *bool    `json:"overrideValueBoolean"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		kind, err := remoteValue{in.OverrideValueInt, in.OverrideValueFloat, in.OverrideValueString, in.OverrideValueBoolean}.kind("overrideValue")
		if err != nil {
			return err
		}
		c := fixtures.RemoteConfiguration{Name: in.Name, Description: in.Description, RemoteVariableID: in.RemoteVariableID, Enabled: in.Enabled == nil || *in.Enabled,
			OverrideValueInt: in.OverrideValueInt, OverrideValueFloat: in.OverrideValueFloat, OverrideValueString: in.OverrideValueString, OverrideValueBoolean: in.OverrideValueBoolean}
		id := store.ParseID(r.PathValue("remoteConfigurationId"))
		c, err = st.PutRemoteConfiguration(targetsOf(r).ProjectID, id, c, func(v fixtures.RemoteVariable) error {
			return mustMatch(kind, v, "/overrideValue"+remoteField[kind])
		})
		if err != nil {
			return err
		}
		return writeJSON(w, createdOr(id), c)
	}
}

// putAbTest serves createAbTest and updateAbTest. isSticky may be a boolean
// or the string "true"/"false" (the vendor's example sends a string);
// shares are percentages and may not add up to more than 100.
func putAbTest(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name                      string          `json:"name"`
			RemoteVariableID          int64           `json:"remoteVariableId"`
			RemoteVariableProbability *float64        `json:"remoteVariableProbability"`
			IsEnabled                 *bool           `json:"isEnabled"`
			IsSticky                  json.RawMessage `json:"isSticky"`
			Variables                 []struct {
				remoteValue
				Probability float64 `json:"probability"`
			} `json:"abTestVariables"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		t := fixtures.ABTest{Name: in.Name, RemoteVariableID: in.RemoteVariableID, IsEnabled: in.IsEnabled == nil || *in.IsEnabled, Variables: []fixtures.ABTestVariable{}}
		if len(in.IsSticky) > 0 {
			s, _ := strconv.Unquote(string(in.IsSticky))
			t.IsSticky = string(in.IsSticky) == "true" || s == "true"
		}
		total := 0.0
		if p := in.RemoteVariableProbability; p != nil {
			t.RemoteVariableProbability, total = *p, *p
		}
		kinds := make([]string, len(in.Variables))
		for i, v := range in.Variables {
			field := fmt.Sprintf("/abTestVariables/%d", i)
			k, err := v.kind("value")
			if err != nil {
				err.(*apierr.Error).Field = field
				return err
			}
			if k == "" {
				return &apierr.Error{Code: apierr.CodeInvalid, Message: "each A/B test variable needs one of valueString, valueInt, valueFloat, valueBoolean", Field: field, Rule: "required"}
			}
			kinds[i] = k
			total += v.Probability
			t.Variables = append(t.Variables, fixtures.ABTestVariable{ValueInt: v.ValueInt, ValueFloat: v.ValueFloat, ValueString: v.ValueString, ValueBoolean: v.ValueBoolean, Probability: v.Probability})
		}
		if total > 100 || total < 0 {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: fmt.Sprintf("probabilities are percentages and add up to %g, more than 100", total), Field: "/remoteVariableProbability", Rule: "maximum", Expected: "<= 100 in total"}
		}
		id := store.ParseID(r.PathValue("abTestId"))
		t, err := st.PutABTest(targetsOf(r).ProjectID, id, t, func(v fixtures.RemoteVariable) error {
			for i, k := range kinds {
				if err := mustMatch(k, v, fmt.Sprintf("/abTestVariables/%d", i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return writeJSON(w, createdOr(id), t)
	}
}
