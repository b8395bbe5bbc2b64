import { createValidationContext, parseFlagChange, validateChange } from '../src';
import { generateCases } from '../test/support/generate';
const corpus = generateCases(1000, 7).map(({ change, context }) => ({
  change: parseFlagChange(change),
  context: createValidationContext(context),
}));
const samples: number[] = [];
for (let w = 0; w < 200; w++) for (let i = 0; i < 1000; i++) validateChange(corpus[i].change, corpus[i].context);
for (let r = 0; r < 60; r++) {
  const st = process.hrtime.bigint();
  for (let i = 0; i < 1000; i++) validateChange(corpus[i].change, corpus[i].context);
  samples.push(Number(process.hrtime.bigint() - st) / 1e3 / 1000);
}
samples.sort((a, b) => a - b);
console.log('validate', samples[30].toFixed(3), 'µs');
