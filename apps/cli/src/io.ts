/** Writes go through these so tests can capture them. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
