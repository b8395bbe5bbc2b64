/**
 * Pearson's χ² test of counts against a uniform distribution: the statistic and its p-value, the upper tail
 * of the χ² distribution, Q(dof/2, χ²/2), by the series and continued fraction of the regularised
 * incomplete gamma function (Numerical Recipes §6.2).
 */
export function chiSquaredUniform(counts: readonly number[]): { chi2: number; dof: number; p: number } {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  const dof = counts.length - 1;
  return { chi2, dof, p: upperRegularisedGamma(dof / 2, chi2 / 2) };
}

export function upperRegularisedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) sum += term *= x / (a + n);
    return 1 - sum * Math.exp(logPrefix);
  }
  // Lentz's continued fraction.
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(logPrefix) * h;
}

/** Lanczos approximation (g = 7, n = 9). */
function logGamma(z: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  let x = g[0];
  for (let i = 1; i < 9; i++) x += g[i] / (z + i - 1);
  const t = z + 6.5;
  return 0.5 * Math.log(2 * Math.PI) + (z - 0.5) * Math.log(t) - t + Math.log(x);
}
