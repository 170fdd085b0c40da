package store

import (
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// ParticipantByCode resolves a participant sign-in code (QR or PIN) of a
// project. Codes match ignoring case and surrounding spaces; an unknown code,
// or one of another project, is 404 naming /code. The codes are the world's
// (fixtures/world.json participantCodes): the vendor's are not known.
func (st *Store) ParticipantByCode(projectID int64, code string) (identity, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	c, ok := st.w.codes[strings.ToUpper(strings.TrimSpace(code))]
	if !ok || c.ProjectID != projectID {
		return identity{}, &apierr.Error{Code: apierr.CodeNotFound, Field: "/code", Rule: "exists",
			Message: "no participant sign-in code " + code + " in project " + strconv.FormatInt(projectID, 10)}
	}
	return identity{ParticipantID: c.ParticipantID, Name: c.Name, Email: c.Email}, nil
}

// identity is the answer of POST /v0/identify/exchange: the participant a
// sign-in code stands for (Unity, namespace Cognitive3D.Identify; shapes
// low-confidence, api.md third research pass §3.1).
type identity struct {
	ParticipantID string `json:"participantId"`
	Name          string `json:"name"`
	Email         string `json:"email"`
}
