import { FlagTableReplica, RegionalPath } from '@ffc/constructs';
import { serviceCatalogue } from '@ffc/rules';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageConfig } from './config';

export interface RegionalStackProps extends StackProps {
  readonly config: StageConfig;
  /** The region this stack serves (also its `env.region`). */
  readonly region: string;
}

/** The services of the catalogue that run in a region: each gets its queue there. */
export function servicesIn(region: string): string[] {
  return serviceCatalogue.services
    .filter((s) => s.lifecycle === 'active' && s.regions.includes(region))
    .map((s) => s.id);
}

/** One region's path, reading that region's replica of the flag table. */
export class RegionalStack extends Stack {
  readonly path: RegionalPath;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, props);
    const { config } = props;
    const replica = new FlagTableReplica(this, 'Flags', { stage: config.stage });
    this.path = new RegionalPath(this, 'Path', {
      stage: config.stage,
      production: config.production,
      flagTable: replica.table,
      services: servicesIn(props.region),
      regions: config.regions,
    });
  }
}
