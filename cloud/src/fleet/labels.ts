import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import { gatewayIdProblem, type GatewayLabels } from '../records/index.js';

const LABEL_PATTERN = /^[A-Za-z0-9._ -]{0,64}$/;
const TAG_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_TAGS = 32;

/**
 * Checks labels from a caller and returns them normalised (tags sorted, no duplicates), or
 * throws CPL_ERR_REQUEST_INVALID listing every problem as `labels.<key>: reason (got value)`.
 */
export function validateLabels(
  input: Partial<GatewayLabels> | undefined,
  gatewayId?: string,
): GatewayLabels {
  const labels = {
    train: input?.train ?? '',
    car: input?.car ?? '',
    line: input?.line ?? '',
    tags: input?.tags ?? [],
  };
  const problems: string[] = [];
  const idProblem = gatewayId === undefined ? undefined : gatewayIdProblem(gatewayId);
  if (idProblem !== undefined) problems.push(idProblem);
  for (const key of ['train', 'car', 'line'] as const) {
    if (!LABEL_PATTERN.test(labels[key])) {
      problems.push(
        `labels.${key}: must be at most 64 characters of A-Z a-z 0-9 . _ - and space (got ${JSON.stringify(labels[key])})`,
      );
    }
  }
  if (labels.tags.length > MAX_TAGS)
    problems.push(`labels.tags: must hold at most ${MAX_TAGS} tags (got ${labels.tags.length})`);
  labels.tags.forEach((tag, i) => {
    if (!TAG_PATTERN.test(tag)) {
      problems.push(
        `labels.tags[${i}]: must be 1 to 64 characters of A-Z a-z 0-9 . _ - (got ${JSON.stringify(tag)})`,
      );
    }
  });
  if (problems.length > 0)
    throw new CouplerError(CloudErrorCode.requestInvalid, problems.join('; '));
  return { ...labels, tags: [...new Set(labels.tags)].sort() };
}

export interface LabelFilter {
  train: string;
  line: string;
  tag: string;
}

/** True when the labels match every non-empty field of the filter. */
export function matchesFilter(labels: GatewayLabels | undefined, filter: LabelFilter): boolean {
  if (filter.train && labels?.train !== filter.train) return false;
  if (filter.line && labels?.line !== filter.line) return false;
  if (filter.tag && !(labels?.tags.includes(filter.tag) ?? false)) return false;
  return true;
}
