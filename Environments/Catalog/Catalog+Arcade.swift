/// Pixel arcade games and their MinAtar-style modes; owned by the arcade engineer.
///
/// Id scheme (Environments/Arcade/README.md):
/// - `Arcade/<Game>-v0`: the Atari agent view, as Gymnasium's
///   `FrameStackObservation(AtariPreprocessing(ALE/<Game>-v5 with frameskip=1), 4)`: sticky actions
///   0.25, 1–30 no-op starts, frame skip 4 with a max over the last two frames, 84×84 grayscale,
///   observation `[4, 84, 84]` `UInt8`; ALE's 108 000-frame limit truncates (27 000 steps).
/// - `Arcade/<Game>NoFrameskip-v0`: the raw game, one frame a step, RGB `[210, 160, 3]`, no sticky
///   actions (as `<Game>NoFrameskip-v4`); the same frame limit.
/// - `MinAtar/<Game>-v0` / `-v1`: the 10×10×C binary MinAtar mode with sticky actions 0.1, the full
///   6-action set (`-v0`) or the game's minimal set (`-v1`), as MinAtar's Gymnasium ids.
///   No registration time limit (as MinAtar; Freeway ends itself after 2500 steps).
extension Catalog {
  public static let arcade: [Entry] =
    arcadeEntries(name: "Breakout", summary: "Break bricks with a ball and paddle", game: Breakout())
    + arcadeEntries(name: "Pong", summary: "Beat a scripted opponent at Pong to 21", game: Pong())
    + arcadeEntries(name: "SpaceInvaders", summary: "Shoot a marching block of aliens", game: SpaceInvaders())
    + arcadeEntries(name: "Freeway", summary: "Walk a chicken across a ten-lane highway", game: Freeway())
    + minAtarEntries(name: "Breakout", summary: "MinAtar Breakout", game: MinAtarBreakout())
    + minAtarEntries(name: "Pong", summary: "compact Pong (ours; MinAtar has none)", game: MinAtarPong())
    + minAtarEntries(name: "SpaceInvaders", summary: "MinAtar Space Invaders", game: MinAtarSpaceInvaders())
    + minAtarEntries(name: "Freeway", summary: "MinAtar Freeway", game: MinAtarFreeway())

  static func arcadeEntries<G: ArcadeGame>(name: String, summary: String, game: G) -> [Entry] {
    [
      Entry(id: "Arcade/\(name)-v0", summary: "\(summary): 4×84×84 Atari-preprocessed frames, sticky 0.25",
            maxEpisodeSteps: nil, make: { AtariPreprocessing.stacked(game) }, makeExpert: { ArcadeExpert() },
            makeTerminalOnLifeLoss: {
              var settings = AtariPreprocessing<G>.Settings()
              settings.terminalOnLifeLoss = true
              return AtariPreprocessing.stacked(game, settings: settings)
            }),
      Entry(id: "Arcade/\(name)NoFrameskip-v0", summary: "\(summary): raw 210×160 RGB frames, one frame a step",
            maxEpisodeSteps: nil, make: { ArcadeEnvironment(game) }, makeExpert: { ArcadeExpert() }),
    ]
  }

  static func minAtarEntries<G: MinAtarGame>(name: String, summary: String, game: G) -> [Entry] {
    [
      Entry(id: "MinAtar/\(name)-v0", summary: "\(summary): 10×10×\(G.channelNames.count) binary channels, 6 actions",
            maxEpisodeSteps: nil, make: { MinAtarEnvironment(game) }, makeExpert: { ArcadeExpert() }),
      Entry(id: "MinAtar/\(name)-v1",
            summary: "\(summary): 10×10×\(G.channelNames.count) binary channels, minimal action set",
            maxEpisodeSteps: nil, make: { MinAtarEnvironment(game, usesMinimalActionSet: true) },
            makeExpert: { ArcadeExpert() }),
    ]
  }
}
