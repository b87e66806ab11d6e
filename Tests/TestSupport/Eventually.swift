/// Polls `condition` until it holds or `deadline` passes, and says which: the caller checks
/// the answer (`#expect(try await eventually { … })`), so a condition that never comes true
/// fails the test instead of hanging it.
public func eventually(
    deadline: Duration = .seconds(120), poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while clock.now < end {
        if try await condition() { return true }
        try await Task.sleep(for: poll)
    }
    return try await condition()
}
