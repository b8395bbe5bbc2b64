import { applyStandardTags, resourceName } from '@ffc/constructs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config';
import { FlagStoreStack } from './flag-store-stack';
import { RegionalStack } from './regional-stack';

/** Builds every stack of one stage from context. */
export function buildApp(app: App): App {
  const config = stageConfig(app.node);
  // Every synthesis runs the AwsSolutions checks; an unacknowledged finding fails it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const store = new FlagStoreStack(app, resourceName(config.stage, 'flag-store'), {
    env: { account: config.account, region: config.primaryRegion },
    config,
    description: `Feature Flag Connector flag store (${config.stage})`,
  });
  for (const region of config.regions) {
    const regional = new RegionalStack(app, resourceName(config.stage, `region-${region}`), {
      env: { account: config.account, region },
      config,
      region,
      description: `Feature Flag Connector regional path in ${region} (${config.stage})`,
    });
    // The replica (and its stream) exists once the global table is deployed.
    regional.addStackDependency(store);
  }
  applyStandardTags(app, { costCentre: config.costCentre, owner: config.owner, environment: config.stage });
  return app;
}
