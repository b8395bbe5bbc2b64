import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { IPrivateNetwork } from '../../src';

/** A stand-in IPrivateNetwork: one isolated subnet in one zone, no endpoints. */
export class SingleZoneNetwork extends Construct implements IPrivateNetwork {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
  }

  allowApiCalls(): void {}

  allowDynamoDb(): void {}

  allow(functionGroup: ec2.ISecurityGroup, target: ec2.ISecurityGroup, port: ec2.Port, description: string): void {
    target.addIngressRule(functionGroup, port, description);
  }
}
