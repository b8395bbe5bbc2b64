declare module 'asl-validator' {
  interface AslValidationResult {
    readonly isValid: boolean;
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown): AslValidationResult;
  export = aslValidator;
}
