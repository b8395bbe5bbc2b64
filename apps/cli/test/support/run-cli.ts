import { main } from '../../src/main';

/** Runs `ffc ARGS...` in-process; returns what it printed and the exit code it set. */
export async function ffc(
  ...args: string[]
): Promise<{ out: string; err: string; exitCode: number | string | undefined }> {
  let out = '';
  let err = '';
  process.exitCode = 0;
  await main(['node', 'ffc', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  const exitCode = process.exitCode;
  process.exitCode = 0;
  return { out, err, exitCode };
}
