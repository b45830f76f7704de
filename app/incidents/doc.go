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
//     memory (policy_test.go).
//
// The incident's storage (a migration), its service, pages and routes
// follow, laid out like app/agenda and app/meetings, with the SQL twin of
// canSee in the store and a test that holds the two together.
package incidents
