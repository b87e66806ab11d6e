import Foundation

/// Synthetic but valid CloudEvents for `bench intake`: per batch of 1,000, 700 registrations of
/// distinct people (resident ids with a correct MOD 11-2 check character), then 200 moves and
/// 100 certificate checks of people registered in that batch; all by `public-security`.
enum IntakeBenchEvents {
    /// `count` events as JSON objects (bytes), ids and people distinct per `run` label.
    static func make(count: Int, label: String, firstPerson: Int) -> [[UInt8]] {
        keyed(count: count, label: label, firstPerson: firstPerson).map(\.json)
    }

    /// ``make(count:label:firstPerson:)``'s events with their subject's resident id, the key a
    /// department system gives its records on the ingest topic (one person, one partition).
    static func keyed(count: Int, label: String, firstPerson: Int) -> [(subject: String, json: [UInt8])] {
        var events: [(subject: String, json: [UInt8])] = []
        events.reserveCapacity(count)
        var person = firstPerson
        var batchStart = 0
        while batchStart < count {
            let size = min(1_000, count - batchStart)
            let registrations = max(1, size * 7 / 10)
            var registered: [(id: String, birth: String)] = []
            for _ in 0..<registrations {
                let (id, birth) = residentID(person)
                person += 1
                registered.append((id, birth))
                events.append((id, registration(id: id, birth: birth, event: "\(label)-\(events.count)")))
            }
            for k in 0..<(size - registrations) {
                let who = registered[k % registered.count]
                let event = "\(label)-\(events.count)"
                events.append((who.id, k % 3 == 2 ? check(id: who.id, event: event) : move(id: who.id, event: event, k: k)))
            }
            batchStart += size
        }
        return events
    }

    /// The `n`th synthetic person's resident id (region 411523, births from 1950 on, 1,000 per day).
    static func residentID(_ n: Int) -> (String, String) {
        let dayIndex = n / 1_000
        let year = 1950 + dayIndex / 336, month = 1 + (dayIndex / 28) % 12, day = 1 + dayIndex % 28
        let birth = String(format: "%04d-%02d-%02d", year, month, day)
        return (ResidentIDs.make(region: "411523", year: year, month: month, day: day, sequence: n % 1_000), birth)
    }

    static func header(_ type: String, _ event: String) -> String {
        """
        {"specversion":"1.0","id":"\(event)","source":"/orgs/public-security/bench","type":"\(type)",\
        "time":"2026-03-01T09:30:00+08:00","datacontenttype":"application/json","actor":"public-security",\
        "region":"320505001001","data":
        """
    }

    static func registration(id: String, birth: String, event: String) -> [UInt8] {
        let data = """
        {"identity":{"type":"resident-id","number":"\(id)"},"name":"张伟","sex":"female",\
        "birthDate":"\(birth)","phone":"13800138000","originRegion":"411523000000",\
        "residence":{"region":"320505001001","gridId":"G-0107","housingUnitId":"HU-320505-00042",\
        "address":"狮山街道长江路 88 号 3 栋 402"},"arrivedOn":"2026-02-27",\
        "employment":{"employer":"苏州精密电子有限公司","sector":"manufacturing"}}}
        """
        return Array((header("onewindow.resident.registered.v1", event) + data).utf8)
    }

    static func move(id: String, event: String, k: Int) -> [UInt8] {
        let data = """
        {"identity":{"type":"resident-id","number":"\(id)"},\
        "residence":{"region":"320505002003","gridId":"G-0211","housingUnitId":"HU-320505-\(String(format: "%05d", k))"},\
        "movedOn":"2026-05-10"}}
        """
        return Array((header("onewindow.resident.moved.v1", event) + data).utf8)
    }

    static func check(id: String, event: String) -> [UInt8] {
        let data = """
        {"identity":{"type":"resident-id","number":"\(id)"},"certificate":"marriage-childbearing",\
        "result":"missing","checkedDuring":"prenatal-care"}}
        """
        return Array((header("onewindow.certificate.checked.v1", event) + data).utf8)
    }

    /// A JSON array of the events, for `application/cloudevents-batch+json`.
    static func batchBody(_ events: ArraySlice<[UInt8]>) -> Data {
        var body = Data([UInt8(ascii: "[")])
        for (i, e) in events.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: e)
        }
        body.append(UInt8(ascii: "]"))
        return body
    }
}
