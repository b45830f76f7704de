// Package incidents is the incidents feature: one delegation reports an
// incident, with its claims and indicators, and the other answers point by
// point with its positions.
//
// Its files:
//
//   - indicators.go: the types an indicator can have, how a typed or pasted
//     indicator is recognised, validated and normalised (defanged forms
//     accepted), how it is shown defanged, and a bulk paste read line by
//     line;
//   - types.go: statuses, TLP 2.0 markings, categories, sectors, positions
//     and indicator roles, each with its name in both catalogues;
//   - policy.go: who sees an incident (a draft: the reporting side; AMBER
//     and AMBER+STRICT: confirmed members of both delegations and the
//     secretariat; RED: the reporting side and the named recipients), who
//     moves it from one status to the next, who sets each side's positions
//     (each delegation its own, never the other's), who changes the marking
//     and who may export it. The rules are tested on accounts built in
//     memory (policy_test.go);
//   - store.go and service.go: the incident itself (migration 00010) — a
//     draft written and edited by its side, reported (its text becomes
//     revision 1 and is indexed for search), acknowledged, investigated,
//     responded to and closed by the side whose step it is; its marking
//     (lowering it needs a reason) and a RED incident's named recipients;
//     closing by the secretariat once both heads have agreed (the decisions
//     part, on the reported revision); the list, filtered and searched,
//     with its counts per status for the tabs (two statements).
//     visibleIncidents is the SQL twin of canSee, held to it for every
//     account, status and marking (TestVisibilityInSQLIsThePolicy);
//   - claims.go (migration 00011): the report's claims, added by the
//     reporting side until the incident is closed and rewritten only while
//     it is a draft, so that no answer stands against words changed after
//     it; each delegation's position on each claim, set by its head or
//     delegates for their own side only (the side is the actor's, never a
//     form's), and its official position by its head; each change a new row
//     beside the earlier ones, a stale change a conflict;
//   - indicator_list.go (migration 00012): indicators pasted in bulk by the
//     reporting side (up to 10,000 lines; each line added, a duplicate or
//     invalid with its reason; all or nothing if asked, else the valid ones,
//     in one transaction), listed a page at a time by type, by each side's
//     position (or its absence) and by a part of the value, with each side's
//     position, counted up to 10,000, and marked where the viewer may see the
//     same indicator in another incident — the same statements whatever
//     their number (TestIndicatorListQueryCountIsConstant);
//   - requests.go (migration 00013): information requests — one delegation
//     asks the other, due on a calendar date in the asking side's capital
//     (app.Date: overdue from the midnight that ends it there, computed,
//     never stored); the other side answers; the asking side may withdraw;
//     open requests put to a side, for its dashboard, in one query;
//   - stix.go: an indicator as a STIX 2.1 pattern, a position as a STIX
//     opinion, the published TLP 2.0 marking definitions, and identifiers
//     that stay the same from one export to the next (UUIDv5);
//   - export.go: an incident's indicators as CSV (cells no spreadsheet runs
//     as formulas) and the incident as a STIX 2.1 bundle — the marking, an
//     identity per delegation, the report, a note per claim and official
//     position, an indicator per indicator with its cyber observable
//     (STIX's deterministic identifiers), an observed-data object over the
//     observed window and an opinion per position —
//     for those who may export it (for AMBER and above, the reporting side
//     only), read in batches; tested against STIX's required properties;
//   - attachments.go (migrations 00014 and 00015): evidence files on an
//     incident, a request or a comment (a file on an internal note is
//     internal to its side), kept in the database (a backup holds them, a
//     second server reads them), typed by their content (PDF, PNG, JPEG,
//     plain text, CSV, JSON, ZIP, PCAP; HTML or an executable named .pdf
//     refused), at most 20 MB unless configured, hashed with SHA-256; each
//     download recorded, in the uploading side's chain, for that side to see;
//   - pages.go: what each page reads, in one call that loads the incident
//     once for the actor — the main page (the incident with its sectors,
//     recipients and translation, its claims with each side's positions,
//     a page of its thread), the positions page (with the heads' agreements
//     to close), the indicators, requests, files (with the downloads of the
//     actor's side's files) and history — each a fixed number of
//     statements; the exported Permissions for the pages (policy.go);
//   - demo.go: the demo's two reports (the Chinese one on websites attacked
//     January to May, the US one on intellectual property), with claims,
//     indicators, each side's positions, requests and internal notes,
//     loaded after the meetings' demo (SeedDemo);
//   - bulk.go: many incidents and indicators for measuring (parley seed,
//     make bench);
//   - stats.go: reported incidents per month, category, status and
//     reporting side, and indicators by each delegation's position, counted
//     over what the actor may see (five grouped queries, for the charts);
//
// Incidents keep their own audit chains (Service.KeepOwnChains): whatever
// is not internal to a side goes to the incident's chain, whatever its
// marking and however the marking changes later, and the incident's history
// reads that chain for whoever may see the incident (named recipients of a
// RED one included); internal notes and a draft's records stay in the
// reporting side's chain. Nothing about an incident is in the shared chain,
// which every account, pending ones included, may read.
//
// The pages are app/web/incidents.go and views/incidents.templ. The observed
// window is read with app/meetings' ParseLocal (an earlier feature's
// function, as the layers allow). The secretariat's note is kept with the
// official positions, under the secretariat's side, so that it shows beside
// them, never in them. A form names the position it saw standing by when it
// was set (Position.Token), never by its row id.
package incidents
