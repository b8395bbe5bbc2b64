import { IResolvable, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { UnrenderableNagResourceError } from './errors';

/**
 * How cdk-nag prints a resource in a finding id: literal parts as they are, references as `<Name>` and
 * attributes as `<LogicalId.Attr>`, so an acknowledgement names exactly the resource it accepts.
 */
export function nagResourceId(scope: IConstruct, arn: string): string {
  const resolved = Stack.of(scope).resolve(arn) as unknown;
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const value = part as Record<string, unknown>;
    if ('Ref' in value) return `<${value.Ref as string}>`;
    if ('Fn::GetAtt' in value) return `<${(value['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    throw new UnrenderableNagResourceError(part);
  };
  return render(resolved as IResolvable);
}

/** Acknowledges one wildcard-resource finding of `scope`, naming the resource. */
export function acknowledgeWildcardResource(scope: IConstruct, arn: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagResourceId(scope, arn)}]`, reason });
}
