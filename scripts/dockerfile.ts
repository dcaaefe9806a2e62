// A reader for the Dockerfiles of this repository, enough to check them without a Docker engine:
// instructions with their arguments (continuation lines joined, comments dropped), the sources
// of each COPY from the build context, and .dockerignore matching as BuildKit does it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== undefined && trimmed.startsWith('#')) return;
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending === undefined ? { text: part, line: index + 1 } : { ...pending, text: `${pending.text} ${part}` };
    if (continues) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending.text);
    if (match) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '', line: pending.line });
    pending = undefined;
  });
  return instructions;
}

/** The context paths a COPY or ADD reads: none for `--from=<stage>` copies. */
export function copySources(instruction: Instruction): string[] {
  const words = instruction.args.trim().startsWith('[')
    ? (JSON.parse(instruction.args) as string[])
    : instruction.args.split(/\s+/).filter((word) => word !== '');
  const flags = words.filter((word) => word.startsWith('--'));
  if (flags.some((flag) => flag.startsWith('--from='))) return [];
  return words.filter((word) => !word.startsWith('--')).slice(0, -1);
}

/** .dockerignore patterns: root-anchored globs, `**` across folders, `!` to re-include. */
export function dockerignoreMatcher(root: string): (path: string) => boolean {
  const file = join(root, '.dockerignore');
  const rules = existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
    : [];
  const compiled = rules.map((rule) => {
    const isNegated = rule.startsWith('!');
    const pattern = (isNegated ? rule.slice(1) : rule).replace(/^\/+/, '').replace(/\/+$/, '');
    const source = pattern
      .split('/')
      .map((segment) => (segment === '**' ? '(?:.*/)?' : `${segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]')}/`))
      .join('');
    // A pattern matches the path itself or any folder above it.
    return { isNegated, regex: new RegExp(`^${source.replace(/\/$/, '')}(?:/.*)?$`) };
  });
  return (path: string) => {
    const normal = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
    let isIgnored = false;
    for (const rule of compiled) if (rule.regex.test(normal)) isIgnored = !rule.isNegated;
    return isIgnored;
  };
}
