/// Grid worlds with MiniGrid's conventions; owned by the grid-world engineer.
///
/// MiniGrid's registrations add no `TimeLimit`: each env truncates itself at its own
/// `max_steps` (the `maxSteps` argument of the Swift types), so `maxEpisodeSteps` is `nil`.
extension Catalog {
  public static let gridWorlds: [Entry] = [
    Entry(id: "MiniGrid-Empty-5x5-v0", summary: "Walk to the goal in an empty 5×5 room (MiniGrid Empty)",
          maxEpisodeSteps: nil, make: { MiniGridEmpty(size: 5) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-Empty-8x8-v0", summary: "Walk to the goal in an empty 8×8 room (MiniGrid Empty)",
          maxEpisodeSteps: nil, make: { MiniGridEmpty(size: 8) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-Empty-Random-5x5-v0",
          summary: "Walk to the goal in an empty 5×5 room from a random start (MiniGrid Empty)",
          maxEpisodeSteps: nil, make: { MiniGridEmpty(size: 5, randomStart: true) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-DoorKey-5x5-v0", summary: "Pick up the key, unlock the door, reach the goal (5×5)",
          maxEpisodeSteps: nil, make: { MiniGridDoorKey(size: 5) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-DoorKey-8x8-v0", summary: "Pick up the key, unlock the door, reach the goal (8×8)",
          maxEpisodeSteps: nil, make: { MiniGridDoorKey(size: 8) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-FourRooms-v0", summary: "Reach a random goal through four connected rooms (19×19)",
          maxEpisodeSteps: nil, make: { MiniGridFourRooms() }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-MemoryS7-v0",
          summary: "Remember the cue object, then pick the matching exit of the hallway (7×7)",
          maxEpisodeSteps: nil, make: { MiniGridMemory(size: 7) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-MemoryS11-v0",
          summary: "Remember the cue object, then pick the matching exit of a hallway too long to see the cue from (11×11)",
          maxEpisodeSteps: nil, make: { MiniGridMemory(size: 11) }, makeExpert: { GridExpert() }),
    Entry(id: "MiniGrid-MemoryS13-v0",
          summary: "Remember the cue object, then pick the matching exit of a hallway too long to see the cue from (13×13)",
          maxEpisodeSteps: nil, make: { MiniGridMemory(size: 13) }, makeExpert: { GridExpert() }),
  ]
}
