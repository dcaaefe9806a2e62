/** The state of one dependency, as /readyz reports it. */
export interface DependencyState {
  isReady: boolean;
  /** Short word for humans: "open", "closed", "serving", "not serving". */
  state: string;
}

/** Readiness probes by dependency name; the composition root passes them in. */
export type ReadinessChecks = Readonly<Record<string, () => DependencyState>>;
