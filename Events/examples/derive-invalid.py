#!/usr/bin/env python3
"""Writes Events/examples/<type>/invalid-<what>.json from the valid examples (and the same for
OneWindow's own events in Events/emitted-examples/<type>/).

Each invalid example breaks exactly one field and says which, as a JSON pointer:
    {"expect": {"field": "/data/identity/number"}, "why": "...", "event": {...whole envelope...}}
Events/check and the Swift tests require the validator to reject it at exactly that field.
Edit the table below and re-run; the files are committed so integrators can read them.
"""
import copy, json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DELETE = object()

def at(doc, pointer):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    for p in parts[:-1]:
        doc = doc[int(p)] if isinstance(doc, list) else doc[p]
    return doc, (int(parts[-1]) if isinstance(doc, list) else parts[-1])

def mutate(event, pointer, value):
    e = copy.deepcopy(event)
    parent, key = at(e, pointer)
    if value is DELETE: del parent[key]
    elif callable(value): parent[key] = value(parent[key])
    else: parent[key] = value
    return e

# Applied to every type's first valid example (pointer, value, name, why).
COMMON = [
    ("/specversion", "0.3", "specversion", "only CloudEvents 1.0 is accepted"),
    ("/id", DELETE, "missing-id", "every event needs an id unique per source"),
    ("/time", "2026-03-01 09:30", "time-format", "time must be RFC 3339 with an offset"),
    ("/actor", "Public Security", "actor", "actor is an organization id: lowercase letters, digits, hyphens"),
    ("/region", "32050500100", "region-length", "a region code has 12 digits"),
    ("/data/identity/number", "411523198807210127", "resident-id-check-character", "the last character is not the MOD 11-2 check character"),
    ("/data/identity/type", "hukou", "identity-type", "identity type must be resident-id, passport or other"),
    ("/data/unexpected", "x", "unknown-field", "data objects are closed: unknown fields are rejected"),
]
SPECIFIC = {
    "onewindow.resident.registered.v1": [
        ("/data/birthDate", "1988-07-22", "birthdate-disagrees", "birthDate must agree with the resident-id"),
        ("/data/sex", "M", "sex", "sex is female or male"),
        ("/data/originRegion", "410023000000", "origin-region-gap", "a zero city part cannot be followed by a county part"),
        ("/data/residence/gridId", DELETE, "missing-grid", "residence needs a gridId"),
        ("/data/arrivedOn", "2026-02-30", "arrived-impossible-date", "there is no 30 February"),
        ("/data/household/1/relation", "cousin", "household-relation", "relation is child, spouse, parent or other"),
        ("/data/household/0/identity/number", "32050619900315432", "household-id-short", "a resident-id has 18 characters"),
        ("/data/household/0/birthDate", "1990-03-16", "household-birthdate-disagrees", "a household member's birthDate must agree with their resident-id"),
        ("/data/name", "", "empty-name", "name cannot be empty"),
    ],
    "onewindow.resident.moved.v1": [("/data/movedOn", "10/05/2026", "moved-date-format", "dates are YYYY-MM-DD"),
                                    ("/data/residence", "G-0211", "residence-not-object", "residence is an object")],
    "onewindow.resident.departed.v1": [("/data/departedOn", DELETE, "missing-departed-on", "departedOn is required"),
                                       ("/data/destinationRegion", "41152300000X", "destination-letter", "region codes are digits")],
    "onewindow.housing.unit-registered.v1": [("/data/capacity", 0, "capacity-zero", "capacity is at least 1"),
                                             ("/data/capacity", 2.5, "capacity-fraction", "capacity is a whole number"),
                                             ("/data/address", DELETE, "missing-address", "address is required")],
    "onewindow.certificate.checked.v1": [("/data/result", "lost", "result", "result is valid, missing, expired or mismatch"),
                                         ("/data/certificate", "passport", "certificate", "certificate is one of the catalogue")],
    "onewindow.certificate.issued.v1": [("/data/validUntil", "2031-13-01", "valid-until-month", "there is no month 13")],
    "onewindow.permit.applied.v1": [("/data/applicationId", DELETE, "missing-application", "applicationId is required"),
                                    ("/data/appliedOn", 20260330, "applied-on-number", "dates are strings"),
                                    ("/attempt", 3000000000, "extension-integer-range", "an extension attribute's integer is CloudEvents' 32-bit integer")],
    "onewindow.permit.issued.v1": [("/data/permitNumber", "", "empty-permit-number", "permitNumber cannot be empty"),
                                   ("/data/validUntil", DELETE, "missing-valid-until", "validUntil is required")],
    "onewindow.permit.rejected.v1": [("/data/reason", "too-young", "reason", "reason is one of the catalogue"),
                                     ("/data/identity/number", "e12345678", "passport-lowercase", "passport numbers are uppercase letters and digits")],
    "onewindow.service.requested.v1": [("/data/category", "schooling", "category", "category is one of the nine basic service categories"),
                                       ("/data/service", "School Enrollment", "service-code", "service is a lowercase code"),
                                       ("/data/details/grade", 1, "details-number", "details values are strings"),
                                       ("/data/beneficiary", 7, "beneficiary-number", "beneficiary is a name or an identity")],
    "onewindow.service.delivered.v1": [("/data/provider", "Hometown Association", "provider", "provider is an organization id"),
                                       ("/data/deliveredOn", DELETE, "missing-delivered-on", "deliveredOn is required")],
}

# OneWindow's own events (case events, person.erased): only data and type are broken, the parts the
# Swift case codec reads (Sources/Domain/Deciders/Case/CaseEventWire.swift); their envelope attributes
# are envelope.schema.json's, broken in the department examples above.
EMITTED_COMMON = [
    ("/data/caseId", str.upper, "case-id-uppercase", "caseId is a UUID in lowercase"),
    ("/data/unexpected", "x", "unknown-field", "data objects are closed: unknown fields are rejected"),
]
SPECIFIC.update({
    "onewindow.case.opened.v1": [("/data/priority", "urgent", "priority", "priority is normal, high or major"),
                                 ("/data/dueAt", "2026-03-04", "due-at-date-only", "dueAt is a time with an offset, not a date"),
                                 ("/data/by", "committee", "by-committee", "cases are opened by the office only"),
                                 ("/data/personId", "p-1", "person-id-not-uuid", "personId is a UUID"),
                                 ("/data/otherRegion", "4115230000", "other-region-length", "a region code has 12 digits"),
                                 ("/data/kind", "Wage Arrears", "kind-code", "kind is a lowercase code")],
    "onewindow.case.assigned.v1": [("/data/assignee", "office", "assignee-office", "office is a reserved word, not an organization"),
                                   ("/data/dueAt", DELETE, "missing-due-at", "dueAt is required"),
                                   ("/data/by", "Office", "by-capitalised", "by is office, committee or an organization id")],
    "onewindow.case.referred.v1": [("/data/assignee", "", "empty-assignee", "assignee is an organization id"),
                                   ("/data/dueAt", "2026-03-05T25:00:00Z", "due-at-hour", "there is no hour 25")],
    "onewindow.case.accepted.v1": [("/data/by", "office", "by-office", "only the organization holding the case accepts it")],
    "onewindow.case.declined.v1": [("/data/reason", "", "empty-reason", "reason cannot be empty"),
                                   ("/data/by", "committee", "by-committee", "only the organization holding the case declines it")],
    "onewindow.case.noted.v1": [("/data/noteId", DELETE, "missing-note-id", "noteId is required"),
                                ("/data/text", "", "empty-text", "a note has text")],
    "onewindow.case.escalated.v1": [("/data/reason", "overdue", "reason", "reason is major-matter or deadline-missed-twice")],
    "onewindow.case.resolved.v1": [("/data/outcome", DELETE, "missing-outcome", "outcome is required")],
    "onewindow.case.reopened.v1": [("/data/reason", 42, "reason-number", "reason is text")],
    "onewindow.case.closed.v1": [("/data/by", DELETE, "missing-by", "by is required")],
    "onewindow.person.erased.v1": [("/personid", DELETE, "missing-personid", "an erasure names its person in personid")],
})
ROOTS = [(HERE, COMMON), (HERE.parent / "emitted-examples", EMITTED_COMMON)]

def main():
    for root, common in ROOTS:
        for typedir in sorted(p for p in root.iterdir() if p.is_dir()):
            derive(typedir, common)

def derive(typedir, common):
    for old in typedir.glob("invalid-*.json"): old.unlink()
    base = json.loads(max(typedir.glob("valid-*.json"), key=lambda p: p.stat().st_size).read_text())  # the richest example
    for pointer, value, name, why in common + SPECIFIC.get(typedir.name, []):
        if pointer.startswith("/data/identity") and "identity" not in base["data"]:
            continue  # housing events name no person
        if pointer == "/data/caseId" and "caseId" not in base["data"]:
            continue  # person.erased names its person in the envelope
        if name == "resident-id-check-character" and base["data"]["identity"]["type"] != "resident-id":
            continue  # any 18 characters are a fine passport number
        doc = {"expect": {"field": pointer}, "why": why, "event": mutate(base, pointer, value)}
        (typedir / f"invalid-{name}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    (typedir / "invalid-type-unknown.json").write_text(json.dumps({
        "expect": {"field": "/type"}, "why": "type must be one of the catalogue",
        "event": mutate(base, "/type", typedir.name.replace(".v1", ".v9"))}, indent=2, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main()
