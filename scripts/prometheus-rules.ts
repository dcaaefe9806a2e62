// Reads deploy/prometheus/alerts.yml: the coupler_* series each rule group queries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './staged-runtime.js';

export const ALERTS_FILE = join(REPO, 'deploy/prometheus/alerts.yml');

interface RuleGroup {
  name: string;
  rules: Array<{ alert?: string; expr: string }>;
}

export function alertGroups(): RuleGroup[] {
  return (parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups: RuleGroup[] }).groups;
}

/** Metric names in the expressions of one group, histogram and summary suffixes removed. */
export function alertMetricNames(group: string): Set<string> {
  const rules = alertGroups().find((g) => g.name === group)?.rules ?? [];
  const names = rules.flatMap((rule) => [...rule.expr.matchAll(/\b(coupler_[a-z0-9_]+)/g)].map((m) => m[1] ?? ''));
  return new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, '')));
}
