/** The flag table of a stage is `<stage>-flags` (the same name the FlagTable construct gives it). */
export function flagTableName(stage: string): string {
  if (!/^[a-z][a-z0-9-]{1,19}$/.test(stage)) throw new Error(`stage name '${stage}' must match ^[a-z][a-z0-9-]{1,19}$`);
  return `${stage}-flags`;
}
