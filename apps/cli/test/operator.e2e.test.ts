import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAuditClient, createAuditReader } from '@ffc/audit';
import { LocalStage } from '@ffc/local-cloud';
import { FlagStore } from '@ffc/store';
import puppeteer, { Browser } from 'puppeteer-core';
import { STAGE, operatorCli, setFlag, startOperatorStage, storeOf, targetOf } from './support/operator-stage';
import { RunningConsole, startConsole } from '../src/console/server';
import { StageTarget } from '../src/operator/target';

/**
 * The operator's questions against a real local stage of 2 regions × 156 services: what is the flag, where
 * does the change stand, take it back. Verification waits 15 s after publication (Wait states × 3), which
 * leaves the operator time to act before the automatic rollback would.
 */
const REPORTS = path.join(__dirname, '..', 'test-reports');
let stage: LocalStage;
let store: FlagStore;
let ffc: ReturnType<typeof operatorCli>;

// One stage for the whole file: starting one takes ~30 s, and two at once would share the regions' Redis.
beforeAll(async () => {
  stage = await startOperatorStage(3);
  store = storeOf(stage);
  ffc = operatorCli(stage);
}, 300_000);
afterAll(() => stage?.stop());

describe('operator commands on a local stage', () => {
  const flagKey = `ops-${Date.now().toString(36)}`;

  it('follows a valid change until it is verified everywhere, then reports it converged', async () => {
    await setFlag(store, flagKey, false, 'create it off');
    const watch = await ffc('watch', flagKey, '--timeout', '60');
    expect(watch.out).toMatch(new RegExp(`✓ v1 verified in ${stage.regions[0]}`));
    expect(watch.out).toMatch(new RegExp(`✓ v1 verified in ${stage.regions[1]}`));
    expect(watch.out).toMatch(/✔ v1 converged/);
    expect(watch.exitCode).toBe(0);

    const status = await ffc('status', flagKey);
    expect(status.out).toMatch(/converged everywhere/);
    for (const region of stage.regions) {
      expect(status.out).toMatch(new RegExp(`${region}\\s+156/156 serve v1\\s+verified`));
    }
    expect(status.exitCode).toBe(0);

    const get = await ffc('get', flagKey, '--json');
    expect(JSON.parse(get.out)).toMatchObject({
      document: { flagKey, version: 1, value: false, reason: 'create it off' },
      verifiedIn: [...stage.regions],
      lastKnownGoodVersion: 1,
    });
  }, 120_000);

  it('a failing service: watch shows the region short of one, status names the service, rollback undoes it once', async () => {
    const region = stage.regions[1];
    const failing = stage.services.get(region)![0];
    stage.faults.push({ region, service: failing, matches: (m) => m.flagKey === flagKey && m.version === 2 });
    await setFlag(store, flagKey, true, 'turn it on');

    // Once every other cache holds v2, a short watch sees the one missing service and gives up (exit 3).
    const others = stage.services.get(region)!.filter((service) => service !== failing);
    await stage.observer.waitFor(
      () => others.every((service) => stage.observer.servedVersion(region, service, flagKey) === 2),
      30_000,
      `v2 in every cache of ${region} but ${failing}`,
    );
    const watch = await ffc('watch', flagKey, '--timeout', '2');
    expect(watch.out).toMatch(new RegExp(`v2 ${region}: 155/156 serve it missing ${failing}`));
    expect(watch.out).toMatch(/✘ v2 not converged after \d+ s/);
    expect(watch.exitCode).toBe(3);

    const status = await ffc('status', flagKey);
    expect(status.out).toMatch(/v2 .*NOT converged/);
    expect(status.out).toMatch(new RegExp(`${region}\\s+155/156 serve v2 .*not serving: ${failing}`));
    expect(status.exitCode).toBe(1);
    const matrix = JSON.parse((await ffc('status', flagKey, '--services', '--json')).out);
    const cells = matrix.regions.find((r: { region: string }) => r.region === region).services;
    expect(cells.find((c: { service: string }) => c.service === failing)).toEqual({
      service: failing,
      state: 'older',
      version: 1,
    });
    expect(cells.filter((c: { state: string }) => c.state === 'older')).toHaveLength(1);

    const rollback = await ffc(
      'rollback',
      flagKey,
      '--reason',
      `${failing} in ${region} missed v2`,
      '--ticket',
      'OPS-7',
      '--actor',
      'alice',
    );
    expect(rollback.out).toMatch(/rolled back v2 -> v3 \(content of v1\) through store.rollback/);
    expect(rollback.exitCode).toBe(0);
    const rolledBack = (await store.get(flagKey))!;
    expect(rolledBack).toMatchObject({ version: 3, kind: 'rollback', rollbackOf: 2, sourceVersion: 1, value: false });
    expect(rolledBack.changedBy).toBe('ffc-rollback');

    const after = await ffc('watch', flagKey, '--timeout', '60');
    expect(after.out).toMatch(/✔ v3 converged/);
    expect(after.exitCode).toBe(0);

    // The automatic check of v2 in that region still runs (15 s after publication). It finds v3 there, and a
    // newer version counts as applied, so it asks for no second rollback.
    const audit = createAuditClient({ kind: 'http', node: stage.options.engines.opensearchUrl });
    const reader = createAuditReader({ client: audit, stage: STAGE });
    const checked = async () =>
      (await reader.history(flagKey)).some(
        (e) =>
          e.region === region && e.version === 2 && (e.type === 'change.verified' || e.type === 'change.inconsistent'),
      );
    for (const deadline = Date.now() + 60_000; !(await checked()) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await checked()).toBe(true);
    expect(await store.latestVersion(flagKey)).toBe(3);

    try {
      const history = await reader.history(flagKey);
      expect(history.filter((e) => e.type === 'rollback.started')).toEqual([
        expect.objectContaining({
          actor: 'alice',
          version: 2,
          details: { fromVersion: 2, toVersion: 3, reason: `${failing} in ${region} missed v2 (ticket OPS-7)` },
        }),
      ]);
    } finally {
      await audit.close();
    }
    const explained = await ffc('status', flagKey);
    // The scenario's transcript, kept beside the console screenshot as a test artefact.
    fs.mkdirSync(REPORTS, { recursive: true });
    fs.writeFileSync(
      path.join(REPORTS, 'operator-scenario.txt'),
      [
        ['watch --timeout 2', watch],
        ['status', status],
        ['rollback --reason … --ticket OPS-7 --actor alice', rollback],
        ['watch --timeout 60', after],
        ['status', explained],
      ]
        .map(
          ([command, run]) =>
            `$ ffc ${command as string} ${flagKey}  # exit ${(run as { exitCode: unknown }).exitCode}\n${(run as { out: string }).out}`,
        )
        .join('\n'),
    );
    expect(explained.out).toMatch(
      new RegExp(
        `why:\\n.*global +v2 +alice +rollback started v2 -> v3: ${failing} in ${region} missed v2 \\(ticket OPS-7\\)`,
      ),
    );
    expect(explained.exitCode).toBe(0);
  }, 180_000);

  it('watch reports the automatic rollback when a service misses a change and nobody acts', async () => {
    const region = stage.regions[0];
    const failing = stage.services.get(region)![1];
    stage.faults.push({ region, service: failing, matches: (m) => m.flagKey === flagKey && m.version === 4 });
    await setFlag(store, flagKey, true, 'on again');
    const watch = await ffc('watch', flagKey, '--timeout', '60', '--json');
    const events = watch.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.at(-1)).toEqual({
      type: 'rolled-back',
      version: 4,
      toVersion: 5,
      sourceVersion: 3,
      by: 'ffc-rollback',
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'progress', region, serving: 155, notServing: [failing] }),
    );
    expect(watch.exitCode).toBe(1);
  }, 120_000);
  it('refuses a rollback target never verified in every region, and a default rollback of a rollback', async () => {
    // v4 failed its check in the first region (and was rolled back): never verified everywhere.
    const unverified = await ffc('rollback', flagKey, '--to', '4', '--reason', 'try the bad one');
    expect(unverified.err).toMatch(new RegExp(`version 4 of '${flagKey}' was never verified in ${stage.regions[0]}:`));
    expect(unverified.exitCode).toBe(1);
    const notEarlier = await ffc('rollback', flagKey, '--reason', 'nothing to do');
    expect(notEarlier.err).toMatch(/version 5 of '.*' is the connector's rollback of v4 to the content of v3/);
    expect(notEarlier.exitCode).toBe(1);
    const noReason = await ffc('rollback', flagKey);
    expect(noReason.err).toMatch(/--reason/);
    expect(noReason.exitCode).toBe(2);
    expect(await store.latestVersion(flagKey)).toBe(5);
  });

  it('diff shows what changed between two versions; get --version tells where a version was verified', async () => {
    const diff = await ffc('diff', flagKey, '1', '2');
    expect(diff.out).toMatch(/^ {2}value: false -> true$/m);
    expect(diff.out).toMatch(/^ {2}reason: "create it off" -> "turn it on"$/m);
    expect(diff.exitCode).toBe(0);
    const missing = await ffc('diff', flagKey, '1', '99');
    expect(missing.err).toMatch(/has no version 99/);
    expect(missing.exitCode).toBe(1);
    const v4 = JSON.parse((await ffc('get', flagKey, '--version', '4', '--json')).out);
    expect(v4.verifiedIn).toEqual([stage.regions[1]]);
    const absent = await ffc('get', 'no-such-flag');
    expect(absent.err).toMatch(/flag 'no-such-flag' does not exist in stage 'operator'/);
    expect(absent.exitCode).toBe(1);
  });

  it('archive writes the tombstone on top of the current version', async () => {
    const before = (await store.get(flagKey))!.version;
    const archive = await ffc(
      'archive',
      flagKey,
      '--reason',
      'experiment over',
      '--ticket',
      'OPS-9',
      '--actor',
      'alice',
    );
    expect(archive.out).toMatch(new RegExp(`archived v${before} as v${before + 1}`));
    expect(archive.exitCode).toBe(0);
    // The history item, not CURRENT: what the validators do with the tombstone next is theirs.
    expect(await store.getVersion(flagKey, before + 1)).toMatchObject({
      kind: 'archive',
      archiveOf: before,
      changedBy: 'alice',
      reason: 'experiment over',
      ticket: 'OPS-9',
    });
  });
});

describe('ffc console in headless Chromium', () => {
  const flagKey = `console-${Date.now().toString(36)}`;
  const screenshot = path.join(REPORTS, 'console.png');
  let browser: Browser;
  let running: RunningConsole;
  let target: StageTarget;

  beforeAll(async () => {
    const executablePath = execFileSync(path.join(__dirname, '..', '..', '..', 'tools', 'chromium', 'install'), {
      encoding: 'utf8',
    }).trim();
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // Chromium refuses to run as root with its sandbox on.
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    target = await targetOf(stage, fs.mkdtempSync(path.join(os.tmpdir(), 'console-spool-')))();
    running = await startConsole({ target, pollMs: 250 });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await target?.close();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(new URL(running.url).hostname).toBe('127.0.0.1');
  });

  it('fills the grid as a change travels, shows the failing service and then the rollback, keyboard first', async () => {
    await setFlag(store, flagKey, false, 'console flag off');
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(running.url);
    await page.waitForSelector(`a[href="#/flag/${flagKey}"]`, { timeout: 30_000 });
    await page.click(`a[href="#/flag/${flagKey}"]`);

    const cellsIn = (states: string[]) =>
      page.$$eval(
        '.cell[role=gridcell]',
        (cells, wanted) => cells.filter((c) => wanted.includes(c.getAttribute('data-state')!)).length,
        states,
      );
    const services = [...stage.services.values()].reduce((n, s) => n + s.length, 0);
    // Page-side predicates as source text: this file is compiled without the DOM's types.
    const gridFull = `document.querySelectorAll('.cell[role=gridcell][data-state=current], .cell[role=gridcell][data-state=acknowledged]').length === ${services}`;
    await page.waitForFunction(gridFull, { timeout: 30_000 });
    expect(await cellsIn(['current', 'acknowledged'])).toBe(services);
    // Colour plus text: every cell carries a letter and a label naming its state.
    const first = await page.$eval('.cell[role=gridcell]', (c) => ({
      text: c.textContent,
      label: c.getAttribute('aria-label'),
    }));
    expect(first.text).toMatch(/^[AC]$/);
    expect(first.label).toMatch(/ in us-east-1: (holds it|serves it \(reader acknowledged\)) \(v1\)$/);

    // Keyboard: one tab stop into the grid, arrows move, the focused cell is announced.
    const [, second] = await page.$$eval(`.cell[data-region="${stage.regions[0]}"]`, (cells) =>
      cells.slice(0, 2).map((c) => c.getAttribute('data-service')),
    );
    await page.focus('.cell[role=gridcell][tabindex="0"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(`document.activeElement?.getAttribute('data-service') === ${JSON.stringify(second)}`, {
      timeout: 5_000,
    });
    expect(await page.$eval('#focused', (p) => p.textContent)).toContain(`${second} in ${stage.regions[0]}`);

    const region = stage.regions[1];
    const failing = stage.services.get(region)![2];
    stage.faults.push({ region, service: failing, matches: (m) => m.flagKey === flagKey && m.version === 2 });
    await setFlag(store, flagKey, true, 'console flag on');
    // The change travels: cells turn from older to current until only the failing service is left behind.
    // One snapshot of the page: the rollback that follows soon changes it again.
    const failingCell = `.cell[role=gridcell][data-service="${failing}"][data-region="${region}"]`;
    await page.waitForFunction(
      `document.querySelectorAll('.cell[role=gridcell][data-state=older]').length === 1 &&
       document.querySelector('${failingCell}')?.dataset.state === 'older' &&
       document.querySelector('${failingCell}')?.textContent === 'O' &&
       document.querySelector('${failingCell}')?.getAttribute('aria-label') === '${failing} in ${region}: older version (v1)'`,
      { timeout: 30_000 },
    );
    // The automatic rollback (verification waits 15 s) appears in the timeline.
    await page.waitForSelector('ol.timeline li[data-type="rollback.completed"]', { timeout: 60_000 });
    const timeline = await page.$eval('ol.timeline', (ol) => ol.textContent ?? '');
    expect(timeline).toMatch(new RegExp(`inconsistent: ${failing} has (v1|nothing)`));
    expect(timeline).toMatch(/rollback completed v2 → v3/);
    await page.waitForFunction(gridFull, { timeout: 30_000 });
    expect(await page.$eval('h2', (h) => h.textContent)).toBe(`${flagKey} v3`);
    expect(pageErrors).toEqual([]);
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
  }, 180_000);
});
