import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['kit/src', 'edge/src', 'cloud/src'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function codesIn(text: string, pattern: RegExp): Set<string> {
  return new Set(Array.from(text.matchAll(pattern), (m) => m[1] ?? ''));
}

describe('docs/errors.md', () => {
  it('documents every error code the code can produce, and no code that no longer exists', () => {
    const inCode = new Set<string>();
    for (const dir of SOURCES) {
      for (const file of sourceFiles(join(REPO, dir))) {
        for (const code of codesIn(readFileSync(file, 'utf8'), /'(CPL_ERR_[A-Z0-9_]+)'/g)) inCode.add(code);
      }
    }
    const documented = codesIn(readFileSync(join(REPO, 'docs/errors.md'), 'utf8'), /^### (CPL_ERR_[A-Z0-9_]+)$/gm);
    expect([...inCode].filter((c) => !documented.has(c)).sort()).toEqual([]);
    expect([...documented].filter((c) => !inCode.has(c)).sort()).toEqual([]);
    expect(inCode.size).toBeGreaterThan(5);
  });
});
