import type { ConfigProblem } from '@coupler/kit';
import type { EdgeConfig } from './schema.js';
import { DEVELOPMENT_HINT } from './security-check.js';

/** Cross-field checks of the nodeRed section: its secret outside development mode, unique flow names. */
export function nodeRedProblems(config: EdgeConfig): ConfigProblem[] {
  const section = config.nodeRed;
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  section.flows.forEach((flow, index) => {
    if (seen.has(flow.name)) problems.push({ path: `nodeRed.flows[${index}].name`, reason: 'is already used by another flow', value: flow.name });
    seen.add(flow.name);
  });
  if (section.initialBackoffMs > section.maxBackoffMs) {
    problems.push({ path: 'nodeRed.initialBackoffMs', reason: 'must not be greater than nodeRed.maxBackoffMs', value: section.initialBackoffMs });
  }
  if (section.enabled && config.security.mode !== 'development' && section.credentialSecret === undefined) {
    problems.push({ path: 'nodeRed.credentialSecret', reason: `missing secret: Node-RED needs it to encrypt flow credentials; ${DEVELOPMENT_HINT}` });
  }
  return problems;
}
