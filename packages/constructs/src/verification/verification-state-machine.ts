import { FLAG_PK_PREFIX, regionalFactUpdate } from '@ffc/identifiers';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { grantKeyUse } from '../encryption';
import { acknowledgeWildcardResource } from '../nag';
import { resourceName } from '../naming';

/**
 * RecordVerification is the store's write of a region's verification fact (`recordVerification`), rendered
 * into the ASL: the same key, expressions and attributes; its IAM grant is limited to those attributes.
 */
const RECORD_VERIFICATION = regionalFactUpdate('verified');
export const VERIFICATION_ITEM_ATTRIBUTES: readonly string[] = RECORD_VERIFICATION.attributes;

/**
 * An UpdateItem task whose grant names the attributes it may touch (`dynamodb:Attributes`), so the state
 * machine cannot rewrite a flag document however its input is shaped.
 */
class AttributeLimitedUpdateItem extends tasks.DynamoUpdateItem {
  constructor(scope: Construct, id: string, props: tasks.DynamoUpdateItemProps, attributes: readonly string[]) {
    super(scope, id, props);
    for (const statement of this.taskPolicies ?? []) {
      statement.addCondition('ForAllValues:StringEquals', { 'dynamodb:Attributes': [...attributes] });
      statement.addCondition('StringEqualsIfExists', { 'dynamodb:ReturnValues': 'NONE' });
    }
  }
}

export interface VerificationStateMachineProps {
  readonly stage: string;
  /** The cache updater's log group: the `flag_applied` lines the query reads. */
  readonly appliedLogGroup: logs.ILogGroup;
  /** Pure function: changes + Logs Insights rows → one verdict per change. */
  readonly consistencyChecker: lambda.IFunction;
  /** Writes last known good back, conditionally. */
  readonly rollback: lambda.IFunction;
  /** The flag table (this region's replica), where the verification fact is recorded. */
  readonly flagTable: dynamodb.ITable;
  /** Receives alerts: a failed query, a rollback that failed verification, nothing known good to roll back to. */
  readonly alertTopic: sns.ITopic;
  readonly encryptionKey: kms.IKey;
  /** Seconds between publication and the first query, for log lines to become queryable. @default 5 */
  readonly settleSeconds?: number;
  /** @default false */
  readonly production?: boolean;
}

/**
 * Express workflow: wait → Logs Insights StartQuery over the applied-log group → poll GetQueryResults →
 * consistency checker → per change: record this region's verification | roll back | alert.
 */
export class VerificationStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: VerificationStateMachineProps) {
    super(scope, id);
    const production = props.production ?? false;

    const alert = (stateId: string, subject: string) =>
      new tasks.SnsPublish(this, stateId, {
        topic: props.alertTopic,
        subject,
        message: sfn.TaskInput.fromJsonPathAt('$'),
        resultPath: sfn.JsonPath.DISCARD,
      }).next(new sfn.Succeed(this, `${stateId}Raised`));

    const settle = new sfn.Wait(this, 'SettleBeforeQuery', {
      time: sfn.WaitTime.duration(Duration.seconds(props.settleSeconds ?? 5)),
    });
    const startQuery = new tasks.CallAwsService(this, 'StartQuery', {
      service: 'cloudwatchlogs',
      action: 'startQuery',
      iamAction: 'logs:StartQuery',
      iamResources: [props.appliedLogGroup.logGroupArn],
      parameters: {
        LogGroupNames: [props.appliedLogGroup.logGroupName],
        QueryString: sfn.JsonPath.stringAt('$.query.queryString'),
        StartTime: sfn.JsonPath.numberAt('$.query.startTime'),
        EndTime: sfn.JsonPath.numberAt('$.query.endTime'),
        Limit: 10000,
      },
      resultSelector: { queryId: sfn.JsonPath.stringAt('$.QueryId') },
      resultPath: '$.started',
    });
    // 30 concurrent queries per account and region: back off rather than fail when a burst meets the quota.
    startQuery.addRetry({
      errors: ['CloudWatchLogs.LimitExceededException'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const pollWait = new sfn.Wait(this, 'WaitForResults', { time: sfn.WaitTime.duration(Duration.seconds(1)) });
    const getResults = new tasks.CallAwsService(this, 'GetQueryResults', {
      service: 'cloudwatchlogs',
      action: 'getQueryResults',
      iamAction: 'logs:GetQueryResults',
      // GetQueryResults supports no resource-level permission.
      iamResources: ['*'],
      parameters: { QueryId: sfn.JsonPath.stringAt('$.started.queryId') },
      resultSelector: { status: sfn.JsonPath.stringAt('$.Status'), rows: sfn.JsonPath.listAt('$.Results') },
      resultPath: '$.results',
    });
    const check = new tasks.LambdaInvoke(this, 'CheckConsistency', {
      lambdaFunction: props.consistencyChecker,
      payload: sfn.TaskInput.fromObject({
        region: sfn.JsonPath.stringAt('$.region'),
        changes: sfn.JsonPath.listAt('$.changes'),
        rows: sfn.JsonPath.listAt('$.results.rows'),
      }),
      resultSelector: { verdicts: sfn.JsonPath.listAt('$.Payload.verdicts') },
      resultPath: '$.check',
    });

    const recordVerification = new AttributeLimitedUpdateItem(
      this,
      'RecordVerification',
      {
        table: props.flagTable,
        key: {
          // One item per region (pk FLAG#<key>, sk VERIFIED#<region>): regions never race on one item.
          pk: tasks.DynamoAttributeValue.fromString(
            sfn.JsonPath.format(`${FLAG_PK_PREFIX}{}`, sfn.JsonPath.stringAt('$.flagKey')),
          ),
          sk: tasks.DynamoAttributeValue.fromString(
            sfn.JsonPath.format(`${RECORD_VERIFICATION.skPrefix}{}`, sfn.JsonPath.stringAt('$.region')),
          ),
        },
        updateExpression: RECORD_VERIFICATION.updateExpression,
        conditionExpression: RECORD_VERIFICATION.conditionExpression,
        expressionAttributeNames: { ...RECORD_VERIFICATION.expressionAttributeNames },
        expressionAttributeValues: {
          ':version': tasks.DynamoAttributeValue.numberFromString(
            sfn.JsonPath.jsonToString(sfn.JsonPath.numberAt('$.version')),
          ),
          ':at': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')),
          ':region': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.region')),
        },
        resultPath: sfn.JsonPath.DISCARD,
      },
      VERIFICATION_ITEM_ATTRIBUTES,
    );
    const verified = new sfn.Succeed(this, 'Verified');
    // A newer version already verified here is not a failure.
    recordVerification.addCatch(verified, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: sfn.JsonPath.DISCARD,
    });
    recordVerification.next(verified);

    const rollback = new tasks.LambdaInvoke(this, 'RollBack', {
      lambdaFunction: props.rollback,
      payloadResponseOnly: true,
      resultPath: '$.rollback',
    });
    // The rollback function sets `alert` when a person must act: nothing known good, or a rollback of a rollback.
    const rollbackOutcome = new sfn.Choice(this, 'RolledBack?')
      .when(
        sfn.Condition.booleanEquals('$.rollback.alert', true),
        alert('AlertNoKnownGood', 'ffc: inconsistent change and nothing known good to roll back to'),
      )
      .otherwise(new sfn.Succeed(this, 'RollbackDone'));

    const perChange = new sfn.Choice(this, 'Consistent?')
      .when(sfn.Condition.booleanEquals('$.consistent', true), recordVerification)
      // A rollback that itself fails verification raises an alarm instead of rolling back again.
      .when(
        sfn.Condition.booleanEquals('$.isRollback', true),
        alert('AlertRollbackFailed', 'ffc: a rollback failed verification'),
      )
      .otherwise(rollback.next(rollbackOutcome));

    const forEachChange = new sfn.Map(this, 'ForEachChange', {
      itemsPath: '$.check.verdicts',
      maxConcurrency: 10,
      resultPath: sfn.JsonPath.DISCARD,
    });
    forEachChange.itemProcessor(perChange);

    const queryDone = new sfn.Choice(this, 'QueryDone?')
      .when(sfn.Condition.stringEquals('$.results.status', 'Complete'), check.next(forEachChange))
      .when(
        sfn.Condition.or(
          sfn.Condition.stringEquals('$.results.status', 'Running'),
          sfn.Condition.stringEquals('$.results.status', 'Scheduled'),
        ),
        pollWait,
      )
      .otherwise(alert('AlertQueryFailed', 'ffc: verification query did not complete'));

    const definition = settle.next(startQuery).next(pollWait).next(getResults).next(queryDone);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${resourceName(props.stage, 'verification')}`,
      retention: production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      encryptionKey: props.encryptionKey,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stateMachineName = resourceName(props.stage, 'verification');
    const stack = Stack.of(this);
    // Step Functions may assume the role for this one state machine of this account (confused-deputy protection).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: stateMachineName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      }),
      description: `ffc verification state machine (${props.stage})`,
    });
    // SNS requires a publisher to an encrypted topic to generate data keys with the topic's key.
    grantKeyUse(props.encryptionKey, role, { via: 'sns', resourceArns: [props.alertTopic.topicArn], access: 'write' });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      stateMachineName,
      role,
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(2),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    for (const fn of [props.consistencyChecker, props.rollback]) {
      acknowledgeWildcardResource(
        role,
        `${fn.functionArn}:*`,
        'Invoking a Lambda function by any version or alias of that one function (the task may run a qualified ARN).',
      );
    }
    acknowledgeWildcardResource(
      role,
      '*',
      'logs:GetQueryResults has no resource-level permission; X-Ray and log delivery actions Step Functions needs support no resource ARN either.',
    );
  }
}
