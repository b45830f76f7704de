// Package incidents is the incidents feature: one delegation reports an
// incident, with its claims and indicators, and the other answers point by
// point with its positions.
//
// It is being built in steps. This step is the indicators' parsing
// (indicators.go): the types an indicator can have, how a typed or pasted
// indicator is recognised, validated and normalised (defanged forms
// accepted), and how it is shown defanged. The incident itself, its
// policy, service, store, pages and routes follow, laid out like
// app/agenda and app/meetings.
package incidents
