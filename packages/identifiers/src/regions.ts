/**
 * The twelve regions flags are served in: the CDK app's default `regions` context and the catalogue's
 * regions are this list (the catalogue test and the infra test pin them to it).
 */
export const FLAG_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;

export type FlagRegion = (typeof FLAG_REGIONS)[number];
