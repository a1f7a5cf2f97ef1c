/// Which rule trains a network: the choice a run's options make among this module's optimisers.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// ``Momentum``: gradient descent with momentum (classic or Nesterov's).
    case momentum
    /// ``Adam`` with L2 weight decay added to the gradient.
    case adam
    /// ``Adam`` with decoupled weight decay (AdamW).
    case adamw
}
