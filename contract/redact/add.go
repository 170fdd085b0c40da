package redact

// Add makes r redact the given secrets from now on (empty and very short
// strings are ignored). c3dmock proxy adds the credentials clients send and
// the secrets responses hand out. A Redactor is not safe for concurrent use:
// callers that share one serialise Add, Learn and the redacting methods.
func (r *Redactor) Add(secrets ...string) {
	for _, s := range secrets {
		r.add(s)
	}
}

// IsSecretField reports whether values of the JSON object key name are
// redacted wherever they appear (csrf, password, apiKey, token, …).
func IsSecretField(name string) bool { return secretFields[name] }
