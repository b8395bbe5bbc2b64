import { NotEmulatedError } from '../errors';
import { AssemblyStack } from './cloud-assembly';

/** Answers `Ref` and `Fn::GetAtt` for one resource of a stack: its local identity. */
export type AttributeResolver = (stack: AssemblyStack, logicalId: string, attribute: 'Ref' | string) => unknown;

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves the intrinsic functions synthesised templates use — Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::Base64, pseudo parameters and nested-stack parameters — to local values.
 * Anything else (conditions, imports, mappings) is refused with where it was found.
 */
export class IntrinsicResolver {
  constructor(private readonly attribute: AttributeResolver) {}

  resolve(stack: AssemblyStack, value: unknown, where: string): unknown {
    const resolved = this.walk(stack, value, where);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Resolves to a string, or refuses with where the value came from. */
  string(stack: AssemblyStack, value: unknown, where: string): string {
    const resolved = this.resolve(stack, value, where);
    if (typeof resolved !== 'string' && typeof resolved !== 'number') {
      throw new NotEmulatedError(where, `a value that does not resolve to a string (${JSON.stringify(resolved)})`);
    }
    return String(resolved);
  }

  private walk(stack: AssemblyStack, value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, i) => this.walk(stack, item, `${where}[${i}]`)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return this.call(stack, entries[0][0], entries[0][1], where);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.walk(stack, item, `${where}.${key}`);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private call(stack: AssemblyStack, fn: string, args: unknown, where: string): unknown {
    const here = `${where} (${fn})`;
    switch (fn) {
      case 'Ref':
        return this.ref(stack, String(args), here);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(args) ? args.map(String) : splitOnce(String(args), '.');
        return this.getAtt(stack, logicalId, attribute, here);
      }
      case 'Fn::Join': {
        const [separator, parts] = args as [string, unknown];
        const list = this.walk(stack, parts, here);
        if (!Array.isArray(list)) throw new NotEmulatedError(here, 'a join of something that is not a list');
        return list.map((part) => this.scalar(part, here)).join(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(args)
          ? (args as [string, Record<string, unknown>])
          : [String(args), {}];
        const local = this.walk(stack, variables ?? {}, here) as Record<string, unknown>;
        return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in local) return this.scalar(local[name], here);
          const [logicalId, attribute] = splitOnce(name, '.');
          return this.scalar(
            attribute ? this.getAtt(stack, logicalId, attribute, here) : this.ref(stack, name, here),
            here,
          );
        });
      }
      case 'Fn::Select': {
        const [index, list] = args as [unknown, unknown];
        const items = this.walk(stack, list, here);
        const i = Number(this.walk(stack, index, here));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          throw new NotEmulatedError(here, `selecting item ${i} of ${JSON.stringify(items)}`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [separator, text] = args as [string, unknown];
        return this.scalar(this.walk(stack, text, here), here).split(separator);
      }
      case 'Fn::Base64':
        return Buffer.from(this.scalar(this.walk(stack, args, here), here)).toString('base64');
      default:
        throw new NotEmulatedError(here, `the intrinsic function ${fn}`);
    }
  }

  private ref(stack: AssemblyStack, name: string, where: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return stack.region;
      case 'AWS::AccountId':
        return stack.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.id.replace(/[^A-Za-z0-9-]/g, '-');
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    if (stack.template.Parameters?.[name]) return this.parameter(stack, name, where);
    if (!stack.template.Resources[name]) {
      throw new NotEmulatedError(where, `a Ref to '${name}', which ${stack.id} does not define`);
    }
    return this.attribute(stack, name, 'Ref');
  }

  private getAtt(stack: AssemblyStack, logicalId: string, attribute: string, where: string): unknown {
    const resource = stack.template.Resources[logicalId];
    if (!resource) throw new NotEmulatedError(where, `Fn::GetAtt of '${logicalId}', which ${stack.id} does not define`);
    if (resource.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
      // ffc templates pass values down to nested stacks, never up: outputs are not resolved.
      throw new NotEmulatedError(where, `the output ${attribute} of nested stack ${stack.id}/${logicalId}`);
    }
    return this.attribute(stack, logicalId, attribute);
  }

  /** A nested stack's parameter is what its parent passes for it. */
  private parameter(stack: AssemblyStack, name: string, where: string): unknown {
    const declared = stack.template.Parameters![name];
    if (!stack.parent) {
      if (declared.Default !== undefined) return declared.Default;
      throw new NotEmulatedError(where, `the top-level parameter '${name}' without a default`);
    }
    const passed = (stack.parent.stack.template.Resources[stack.parent.logicalId].Properties?.Parameters ??
      {}) as Record<string, unknown>;
    if (!(name in passed)) {
      if (declared.Default !== undefined) return declared.Default;
      throw new NotEmulatedError(where, `parameter '${name}', which the parent stack does not pass`);
    }
    return this.resolve(
      stack.parent.stack,
      passed[name],
      `${stack.parent.stack.id}/${stack.parent.logicalId}.Parameters.${name}`,
    );
  }

  private scalar(value: unknown, where: string): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new NotEmulatedError(where, `joining a non-scalar value ${JSON.stringify(value)}`);
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
