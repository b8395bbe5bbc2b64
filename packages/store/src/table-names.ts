import { assertStageName } from '@ffc/identifiers';

/** The flag table of a stage is `<stage>-flags` (the same name the FlagTable construct gives it). */
export function flagTableName(stage: string): string {
  return `${assertStageName(stage)}-flags`;
}
