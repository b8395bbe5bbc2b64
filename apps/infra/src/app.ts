import { applyStandardTags, resourceName } from '@ffc/constructs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ACCOUNT_STACK_PREFIX, AccountStack } from './account-stack';
import { stageConfig } from './config';
import { FlagStoreStack } from './flag-store-stack';
import { addCfnGuard } from './guard';
import { RegionalStack } from './regional-stack';

/** Builds every stack of one stage from context. */
export function buildApp(app: App): App {
  const config = stageConfig(app.node);
  // Every synthesis runs the AwsSolutions checks; an unacknowledged finding fails it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // The Control Tower proactive controls (cfn-guard) on request, `-c cfnGuard=true`: they add minutes to a synthesis
  // and still report findings that are open (README, "Policy gates").
  if (String(app.node.tryGetContext('cfnGuard') ?? 'false') === 'true') addCfnGuard(app, config);
  const standardTags = { costCentre: config.costCentre, owner: config.owner, environment: config.stage };
  const store = new FlagStoreStack(app, resourceName(config.stage, 'flag-store'), {
    env: { account: config.account, region: config.primaryRegion },
    config,
    description: `Feature Flag Connector flag store (${config.stage})`,
  });
  applyStandardTags(store, standardTags);
  // The primary region first: it holds the one audit history, which the other regions forward to.
  const regions = [config.primaryRegion, ...config.regions.filter((region) => region !== config.primaryRegion)];
  let history: RegionalStack | undefined;
  for (const region of regions) {
    const account = new AccountStack(app, `${ACCOUNT_STACK_PREFIX}${region}`, {
      env: { account: config.account, region },
      description: `Feature Flag Connector: what all stages share in ${region}`,
    });
    // The shared stack carries no stage tag: deploying it from two stages must not flip its tags.
    applyStandardTags(account, { costCentre: config.costCentre, owner: config.owner, environment: 'account' });
    const regional = new RegionalStack(app, resourceName(config.stage, `region-${region}`), {
      env: { account: config.account, region },
      config,
      region,
      description: `Feature Flag Connector regional path in ${region} (${config.stage})`,
    });
    // The replica (and its stream) exists once the global table is deployed.
    regional.addStackDependency(store);
    // OpenSearch checks at domain creation that it may write to the domain's log group.
    regional.addStackDependency(account);
    // Events forwarded before the history's rule exists would match no rule on the primary bus and be gone.
    if (history) regional.addStackDependency(history);
    else history = regional;
    applyStandardTags(regional, standardTags);
  }
  return app;
}
