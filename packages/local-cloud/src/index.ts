export * from './errors';
export * from './assembly/cloud-assembly';
export * from './assembly/stage-model';
export * from './lambda/function-runtime';
export * from './gateway';
