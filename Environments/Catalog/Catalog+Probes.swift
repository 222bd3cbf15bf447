/// Probe environments that each test one capability of a learner.
///
/// Each expert reads the probe's state (``ExpertProviding``); the probes also offer
/// observation-only experts (`MemoryProbe.Expert`, ...). They end their episodes themselves (at
/// most a dozen steps), so none has a time limit.
extension Catalog {
  public static let probes: [Entry] = [
    Entry(id: "Probe-Bandit-v0", summary: "Contextual bandit: pull the arm the observation names (1 step)",
          maxEpisodeSteps: nil, make: { BanditProbe() }, makeExpert: { ScriptedExpert() }),
    Entry(id: "Probe-Memory-v0", summary: "Name the cue shown before 3 blank steps (recurrent memory)",
          maxEpisodeSteps: nil, make: { MemoryProbe() }, makeExpert: { ScriptedExpert() }),
    Entry(id: "Probe-Timing-v0",
          summary: "Press once 5 s have passed; observations are the irregular Δt between steps",
          maxEpisodeSteps: nil, make: { TimingProbe() }, makeExpert: { ScriptedExpert() }),
  ]
}
