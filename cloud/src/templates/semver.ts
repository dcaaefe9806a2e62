/** Semantic versions without build metadata (two versions differing only in it would be equal). */
export const TEMPLATE_VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;

/** Semantic Versioning 2.0.0 §11 precedence: negative when a < b. Both must match the pattern. */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.split(/-(.*)/s, 2);
  const [coreB = '', preB] = b.split(/-(.*)/s, 2);
  const numbersA = coreA.split('.').map(Number);
  const numbersB = coreB.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const difference = (numbersA[i] ?? 0) - (numbersB[i] ?? 0);
    if (difference !== 0) return difference;
  }
  // §11.3: a pre-release is lower than its release.
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  const partsA = preA.split('.');
  const partsB = preB.split('.');
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i += 1) {
    const difference = comparePart(partsA[i] ?? '', partsB[i] ?? '');
    if (difference !== 0) return difference;
  }
  return partsA.length - partsB.length;
}

/** §11.4: numbers compare numerically and sort before alphanumerics, which compare in ASCII order. */
function comparePart(a: string, b: string): number {
  const isNumberA = /^\d+$/.test(a);
  const isNumberB = /^\d+$/.test(b);
  if (isNumberA && isNumberB) return Number(a) - Number(b);
  if (isNumberA !== isNumberB) return isNumberA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
