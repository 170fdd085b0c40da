package contract

// The check families: a positive check sends a valid request and expects the
// documented success; a negative one sends a request the target must refuse.
const (
	FamilyPositive = "positive"
	FamilyNegative = "negative"
	FamilyLatency  = "latency"
)

func (c Check) family() string {
	if c.Family != "" {
		return c.Family
	}
	switch group(c.Name) {
	case "auth", "requests":
		return FamilyNegative
	}
	return FamilyPositive
}

// DataAs returns a client of the Data Collector (Target.DataURL) that sends
// the given Authorization value verbatim ("" sends none).
func (s *Session) DataAs(auth string) *Client { return &Client{s: s, auth: auth, data: true} }

func (c *Client) baseURL() string {
	if c.data {
		return c.s.run.target.DataURL
	}
	return c.s.run.target.BaseURL
}

func (c *Client) validator() *validator {
	if c.data {
		if c.s.run.dval == nil {
			return newValidator(nil)
		}
		return c.s.run.dval
	}
	return c.s.run.val
}
