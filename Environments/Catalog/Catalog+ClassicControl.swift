/// Gymnasium's classic-control environments, identical to Gymnasium's, and rl-zoo3's
/// velocity-free CartPole.
extension Catalog {
  public static let classicControl: [Entry] = [
    Entry(id: "CartPole-v1", summary: "Balance a pole on a cart (Gymnasium CartPole-v1, bit-identical)",
          maxEpisodeSteps: 500, make: { CartPole() }, makeExpert: { CartPoleExpert() }),
    Entry(id: "Pendulum-v1", summary: "Swing a pendulum up with continuous torque (Gymnasium Pendulum-v1)",
          maxEpisodeSteps: 200, make: { Pendulum() }, makeExpert: { PendulumExpert() }),
    Entry(id: "CartPoleNoVel-v1",
          summary: "CartPole-v1 observing positions only [x, θ] (rl-zoo3's CartPoleNoVel-v1; needs memory)",
          maxEpisodeSteps: 500, make: { ObservationSubset(CartPole(), keeping: [0, 2]) },
          makeExpert: { CartPoleExpert() }),
  ]
}
