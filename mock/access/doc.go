// Package access decides who may do what where: the Principal a credential
// stands for, the Target (domain, organization, project) an operation acts
// on, and the role rules between them (observer < member < admin; read-only
// keys act as observers). It holds no state.
package access
