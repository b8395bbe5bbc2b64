import { FlagTable } from '@ffc/constructs';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageConfig } from './config';

export interface FlagStoreStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The stack in the primary region that owns the global flag table and its replicas. */
export class FlagStoreStack extends Stack {
  readonly flags: FlagTable;

  constructor(scope: Construct, id: string, props: FlagStoreStackProps) {
    super(scope, id, props);
    this.flags = new FlagTable(this, 'Flags', {
      stage: props.config.stage,
      regions: props.config.regions,
      production: props.config.production,
    });
  }
}
