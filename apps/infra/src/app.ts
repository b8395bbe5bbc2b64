import { applyStandardTags, resourceName } from '@ffc/constructs';
import { App } from 'aws-cdk-lib';
import { stageConfig } from './config';
import { FlagStoreStack } from './flag-store-stack';

/** Builds every stack of one stage from context. */
export function buildApp(app: App): App {
  const config = stageConfig(app.node);
  new FlagStoreStack(app, resourceName(config.stage, 'flag-store'), {
    env: { account: config.account, region: config.primaryRegion },
    config,
    description: `Feature Flag Connector flag store (${config.stage})`,
  });
  applyStandardTags(app, { costCentre: config.costCentre, owner: config.owner, environment: config.stage });
  return app;
}
