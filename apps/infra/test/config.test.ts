import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChangePolicySpec } from '@ffc/constructs';
import { App } from 'aws-cdk-lib';
import { stageConfig } from '../src/config';

const CONTEXT = { stage: 'pr-7', costCentre: 'cc-1234', owner: 'platform', regions: ['eu-west-1'] };
const POLICY = {
  timeZone: 'America/New_York',
  changeWindows: [{ days: ['fri'], start: '22:00', end: '02:00' }],
  freezes: [{ from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z', reason: 'Black Friday' }],
};
const configOf = (context: Record<string, unknown>) =>
  stageConfig(new App({ context: { ...CONTEXT, ...context } }).node);

describe("stage config: the change policy (context 'changePolicy')", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-infra-policy-'));
  const policyFile = path.join(dir, 'live.json');
  fs.writeFileSync(policyFile, JSON.stringify(POLICY));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['an object (cdk.json)', POLICY],
    ['its JSON (-c changePolicy=...)', JSON.stringify(POLICY)],
    ['the file ffc set --change-policy reads', policyFile],
  ])('is read from %s', (_how, changePolicy) => {
    // The construct library's prop takes the rules' policy as it is (a compile error here if the two drift).
    const spec: ChangePolicySpec = configOf({ changePolicy }).changePolicy;
    expect(spec).toEqual(POLICY);
  });

  test('none configured: no windows, no freezes, UTC', () => {
    expect(configOf({}).changePolicy).toEqual({ timeZone: 'UTC', changeWindows: [], freezes: [] });
  });

  test.each([
    [
      { changePolicy: { freezes: [{ from: 'Friday', to: 'Monday', reason: 'sale' }] } },
      /context 'changePolicy': freeze/,
    ],
    [{ changePolicy: '{"timeZone": "Mars/Olympus"}' }, /time zone 'Mars\/Olympus' is not an IANA time zone/],
    [{ changePolicy: path.join(dir, 'missing.json') }, /names the file .*missing.json', which cannot be read/],
  ])('a policy the rules cannot apply fails synthesis, saying what to fix (%#)', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
  });
});
