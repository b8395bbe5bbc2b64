/**
 * Base class of every error this library throws while constructs are defined (at synthesis, never at run
 * time), so an app can tell a misconfigured construct from its own errors. Each message says what to change.
 */
export class FfcConstructError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A prop's value is outside what the construct (or the AWS service behind it) accepts. */
export class InvalidPropError extends FfcConstructError {
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${construct}: ${prop} must be ${expected}, got ${JSON.stringify(value)}`);
  }
}

/** The configuration would exceed an AWS quota; the message names the quota and the way around it. */
export class QuotaExceededError extends FfcConstructError {
  constructor(
    readonly quota: string,
    readonly requested: number,
    readonly limit: number,
    remedy: string,
  ) {
    super(`${requested} exceeds ${quota} (${limit}): ${remedy}`);
  }
}

/** A list of service ids names one twice: each service gets exactly one queue. */
export class DuplicateServiceError extends FfcConstructError {
  constructor(readonly serviceId: string) {
    super(`service id '${serviceId}' is listed twice: list each service of the catalogue once`);
  }
}

/** The stack's region does not fit the construct: unresolved where one is required, or not among the regions served. */
export class RegionError extends FfcConstructError {}

/** The VPC has fewer Availability Zones than a production resource needs. */
export class AvailabilityZonesError extends FfcConstructError {
  constructor(
    readonly resource: string,
    readonly available: number,
    readonly required: number,
  ) {
    super(
      `${resource} needs private subnets in at least ${required} Availability Zones, the network has ${available}: ` +
        'give the stack an explicit account and region (an environment-agnostic stack knows only two zones) or a network with more zones',
    );
  }
}

/** A function passed in has no execution role this app can add statements to (e.g. one imported by ARN). */
export class MissingRoleError extends FfcConstructError {
  constructor(
    readonly functionPath: string,
    purpose: string,
  ) {
    super(
      `function ${functionPath} has no execution role, which ${purpose} needs: pass a function defined in this app ` +
        '(an FfcFunction), or import it with fromFunctionAttributes({ role })',
    );
  }
}

/** A resource ARN holds a CloudFormation expression cdk-nag's finding ids cannot express. */
export class UnrenderableNagResourceError extends FfcConstructError {
  constructor(readonly part: unknown) {
    super(
      `cannot render ${JSON.stringify(part)} as a cdk-nag resource id: acknowledge with an ARN built from ` +
        'literals, Ref, Fn::GetAtt and Fn::Join only',
    );
  }
}
