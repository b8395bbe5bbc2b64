import { SECRET_DETECTORS } from '../facts/detectors';

/**
 * Rule IDs merged into another rule, and where their check lives now. A retired ID is never given to
 * another rule, so an audit event or a runbook that names one cannot mislead; RULES.md lists them.
 */
export const RETIRED_RULES: Readonly<Record<string, string>> = {
  'FFC-SEC-005': 'FFC-SEC-001 (detector github-token)',
  'FFC-SEC-008': 'FFC-SEC-001 (detector slack-token)',
  'FFC-SEC-032': 'FFC-SEC-001 (detector http-authorization)',
  'FFC-SEC-033': 'FFC-SEC-001 (detector private-key)',
  // FFC-SEC-002 … FFC-SEC-038: each detector's former ID is written in its row of SECRET_DETECTORS.
  ...Object.fromEntries(
    SECRET_DETECTORS.filter((d) => d.formerRuleId !== 'FFC-SEC-001').map((d) => [
      d.formerRuleId,
      `FFC-SEC-001 (detector ${d.detector})`,
    ]),
  ),
  'FFC-TIER-003': 'FFC-ROLLOUT-004 (its tier-0 limit: 2-fold growth per change)',
  'FFC-TIER-005': 'FFC-RATE-002 (its tier-0 limit: 3 changes a day)',
  'FFC-TIER-007': 'FFC-SIZE-001 (its tier-0 limit: 4 KB)',
};
