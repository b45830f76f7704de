// Package incidents is the incidents feature: one delegation reports an
// incident, with its claims and indicators, and the other answers point by
// point with its positions.
//
// It is being built in steps. So far:
//
//   - indicators.go: the types an indicator can have, how a typed or pasted
//     indicator is recognised, validated and normalised (defanged forms
//     accepted), and how it is shown defanged;
//   - types.go: statuses, TLP 2.0 markings, categories, positions and
//     indicator roles;
//   - policy.go: who sees an incident (a draft: the reporting side; AMBER
//     and AMBER+STRICT: confirmed members of both delegations and the
//     secretariat; RED: the reporting side and the named recipients), who
//     moves it from one status to the next, who sets each side's positions
//     (each delegation its own, never the other's), who changes the marking
//     and who may export it. The rules are tested on accounts built in
//     memory (policy_test.go);
//   - stix.go: an indicator as a STIX 2.1 pattern, a position as a STIX
//     opinion, and the published TLP 2.0 marking definitions.
//
// The incident's storage (a migration), its service, pages and routes
// follow, laid out like app/agenda and app/meetings, with the SQL twin of
// canSee in the store and a test that holds the two together. The plan:
//
//   - incidents (public_id, reporting and addressed side, author, status,
//     TLP, category, sectors, observed window and its zone, revision,
//     version) with the shared parts for its text (revisions, translation),
//     thread and decisions (both heads agreeing to close); RED recipients
//     in their own table. Lists by (status, updated_at) and by reporting
//     side, counts kept by triggers like the agenda's.
//   - claims and indicators per incident (indicators unique per incident by
//     type and value, and indexed by type and value to mark those in other
//     incidents the viewer may see); positions per side on a claim, an
//     indicator or the incident (official), each change a new row, the
//     current one unique per target and side.
//   - The audit trail must not carry what a reader may not see: the shared
//     chain is readable by every account, pending ones included. Incidents
//     therefore keep their own chains (Service.KeepOwnChains): whatever is
//     not internal to a side goes to the incident's chain, whatever its
//     marking and however the marking changes later, and the incident's
//     history reads that chain for whoever may see the incident (named
//     recipients of a RED one included); internal notes stay in the
//     reporting side's chain. Drafts' records are internal to the
//     reporting side, as agenda drafts' are.
package incidents
