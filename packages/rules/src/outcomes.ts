/**
 * What the stream validator reports, in place of rule IDs, when it cannot run the rules at all: a stored
 * document the model cannot read (FlagChangeParseError), or a change whose audit event the trail refuses.
 * Not one of the rules (there is nothing to check a rule against), but an ID that reaches the audit, so
 * RULES.md lists it. Import it instead of writing the literal.
 */
export const UNREADABLE_DOCUMENT = 'FFC-MODEL';

/** Every reported ID that is not a rule, with what it means (rendered into RULES.md). */
export const REPORTED_OUTCOMES: Readonly<Record<string, string>> = {
  [UNREADABLE_DOCUMENT]:
    'The stream validator could not read the stored document as a flag change (the message names the field and problem), or the audit trail refuses the change’s event. The write is restored like any rejected change; fix the writer.',
};
