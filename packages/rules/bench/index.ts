import { execFileSync } from 'child_process';
import { join } from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { measure, reportBenchmark, summarise } from '@ffc/tools';
import { createValidationContext, deriveFacts, exampleChange, parseFlagChange, rules, validateChange } from '../src';
import { compileRuleSet } from '../src/engine/compile';
import { generateCases } from '../test/support/generate';
import { createReferenceEngine } from '../test/support/reference-engine';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5000);
const REFERENCE_ITERATIONS = Math.min(ITERATIONS, 2000);
// "Warm" is V8's optimising tier, not a call count: the scan is one large generated function, and V8 waits
// longer (in calls) to optimise a large function. 2,000 calls left it half-optimised, 1.4x slower than
// steady state (F27). Each engine gets the same wall time, and at least the same number of calls.
const WARMUP_CALLS = Number(process.env.BENCH_WARMUP ?? 2000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1500);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 9);
const LIB = join(__dirname, '..', 'lib', 'index.js');

// Parsed, as the validator and the CLI hand changes to validateChange (object shape affects every read).
const corpus = generateCases(1000, 7).map(({ change, context }) => ({
  change: parseFlagChange(change),
  context: createValidationContext(context),
}));
let next = 0;
const nextCase = () => corpus[next++ % corpus.length];

/** Median wall time of a fresh `node -e script`, in ms. */
function coldStart(script: string): number {
  const samples: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', script], { stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(samples).p50;
}

const ONE_CHANGE = JSON.stringify(exampleChange({ stage: 'live', changedAt: '2025-03-04T10:00:00Z' }));
const compiledScript = `const r=require(${JSON.stringify(LIB)});r.validateChange(r.parseFlagChangeJson(${JSON.stringify(ONE_CHANGE)}),r.createValidationContext({now:Date.now(),stage:'live',production:true}));`;
const referenceScript = `const r=require(${JSON.stringify(LIB)});const {Engine}=require('json-rules-engine');const e=new Engine(r.rules.map(x=>x.properties));for(const [n,o] of Object.entries(r.customOperators))e.addOperator(n,(f,v)=>o.evaluate(f,o.prepare(v)));e.run(r.deriveFacts(r.parseFlagChangeJson(${JSON.stringify(ONE_CHANGE)}),r.createValidationContext({now:Date.now(),stage:'live',production:true})));`;

// A full collection before each phase, so no phase pays for the garbage of the one before it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function phase(iterations: number, fn: () => unknown) {
  const warmUntil = Date.now() + WARMUP_MS;
  for (let calls = 0; calls < WARMUP_CALLS || Date.now() < warmUntil; calls++) await fn();
  collectGarbage();
  return measure(iterations, fn, 0);
}

async function main(): Promise<void> {
  const reference = createReferenceEngine();
  const validateNext = () => {
    const { change, context } = nextCase();
    return validateChange(change, context);
  };
  // Reported, not judged: a process that has validated only a few thousand changes runs at this speed.
  collectGarbage();
  const halfWarm = await measure(ITERATIONS, validateNext, WARMUP_CALLS);
  const compiled = await phase(ITERATIONS, validateNext);
  const engine = await phase(REFERENCE_ITERATIONS, async () => {
    const { change, context } = nextCase();
    return reference(deriveFacts(change, context));
  });
  // The same comparison without fact derivation: rule evaluation alone, on facts measured beforehand.
  const facts = corpus.map(({ change, context }) => deriveFacts(change, context));
  const { scan } = compileRuleSet(rules);
  const hits: number[] = [];
  let f = 0;
  const rulesOnly = await phase(ITERATIONS, () => scan(facts[f++ % facts.length], hits));
  const engineRulesOnly = await phase(REFERENCE_ITERATIONS, () => reference(facts[f++ % facts.length]));
  const bare = coldStart('0');
  const compiledCold = coldStart(compiledScript) - bare;
  const engineCold = coldStart(referenceScript) - bare;
  reportBenchmark(
    `@ffc/rules: all 234 rules on one change (${corpus.length} generated changes, valid and invalid)`,
    {
      [`validateChange after ${WARMUP_CALLS} calls`]: halfWarm,
      'validateChange (facts + compiled rules)': compiled,
      'facts + json-rules-engine': engine,
      'compiled rules only': rulesOnly,
      'json-rules-engine rules only': engineRulesOnly,
    },
    {
      rules: 234,
      validate_p50_ms: round(compiled.p50),
      validate_p99_ms: round(compiled.p99),
      validate_p50_half_warm_ms: round(halfWarm.p50),
      validate_p99_half_warm_ms: round(halfWarm.p99),
      cold_start_ms: round(compiledCold),
      json_rules_engine_p50_ms: round(engine.p50),
      json_rules_engine_p99_ms: round(engine.p99),
      json_rules_engine_cold_start_ms: round(engineCold),
      speedup_p50: round(engine.p50 / compiled.p50),
      rules_only_p50_ms: round(rulesOnly.p50),
      rules_only_p99_ms: round(rulesOnly.p99),
      json_rules_engine_rules_only_p50_ms: round(engineRulesOnly.p50),
      speedup_rules_only_p50: round(engineRulesOnly.p50 / rulesOnly.p50),
      bare_node_ms: round(bare),
      validate_p99_within_0_25_ms: compiled.p99 <= 0.25,
      speedup_at_least_100x: engine.p50 / compiled.p50 >= 100,
      cold_start_within_30_ms: compiledCold <= 30,
    },
  );
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

void main();
