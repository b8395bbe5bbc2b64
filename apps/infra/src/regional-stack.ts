import { FlagTableReplica, FlagWriter, RegionalPath } from '@ffc/constructs';
import { serviceCatalogue, servicesInRegion } from '@ffc/rules';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageConfig } from './config';

export interface RegionalStackProps extends StackProps {
  readonly config: StageConfig;
  /** The region this stack serves (also its `env.region`). */
  readonly region: string;
}

/** One region's path, reading that region's replica of the flag table. */
export class RegionalStack extends Stack {
  readonly path: RegionalPath;
  /** In the primary region only: the one way operators' changes enter the flag table. */
  readonly writer?: FlagWriter;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, props);
    const { config } = props;
    const replica = new FlagTableReplica(this, 'Flags', { stage: config.stage, production: config.production });
    this.path = new RegionalPath(this, 'Path', {
      stage: config.stage,
      production: config.production,
      flagTable: replica.table,
      // The same list the validator's expected services are a subset of (@ffc/rules expectedServices).
      services: servicesInRegion(serviceCatalogue, props.region),
      regions: config.regions,
      // The one audit history (its domain) lives here; every other region forwards to it.
      primaryRegion: config.primaryRegion,
      changePolicy: config.changePolicy,
    });
    // In the path's network, logging under its regional key.
    replica.lookUpStreamIn({ network: this.path.network, logEncryptionKey: this.path.encryptionKey });
    // The home region writes: conditional writes see only their own replica, so one region takes every request.
    if (props.region === config.primaryRegion) {
      this.writer = new FlagWriter(this, 'Writer', {
        stage: config.stage,
        production: config.production,
        flagTable: replica.table,
        network: this.path.network,
        encryptionKey: this.path.encryptionKey,
        auditQueue: this.path.audit.queue,
        regions: config.regions,
        changePolicy: config.changePolicy,
      });
    }
  }
}
