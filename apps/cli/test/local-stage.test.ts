import * as fs from 'node:fs';
import * as path from 'node:path';
import { localEngines, localStageStateFile, readLocalStageState, REPO_ROOT } from '../src/local-stage';

describe("the local engines' settings, without @ffc/tools", () => {
  test('each comes from the environment when it is set there', () => {
    const engines = localEngines({
      FFC_REDIS_URL: 'redis://10.0.0.1:1',
      FFC_DYNAMODB_ENDPOINT: 'http://10.0.0.1:2',
      FFC_OPENSEARCH_URL: 'http://10.0.0.1:3',
      FFC_CLOUD_DYNAMODB_ENDPOINT: 'http://10.0.0.1:4',
      FFC_CLOUD_REDIS_PORTS: '7001,7002',
    });
    expect({ ...engines }).toEqual({
      redisUrl: 'redis://10.0.0.1:1',
      dynamodbEndpoint: 'http://10.0.0.1:2',
      opensearchUrl: 'http://10.0.0.1:3',
      cloudDynamodbEndpoint: 'http://10.0.0.1:4',
      cloudRedisPorts: [7001, 7002],
    });
  });

  test('the rest are the ports tools/engines runs them on (README: Redis 6391, DynamoDB Local 8011 and 8012, OpenSearch 9211, 12 Redis 6401-6412)', () => {
    const engines = localEngines({ FFC_OPENSEARCH_URL: 'https://audit.example' });
    expect({ ...engines }).toEqual({
      redisUrl: 'redis://127.0.0.1:6391',
      dynamodbEndpoint: 'http://127.0.0.1:8011',
      opensearchUrl: 'https://audit.example',
      cloudDynamodbEndpoint: 'http://127.0.0.1:8012',
      cloudRedisPorts: Array.from({ length: 12 }, (_, i) => 6401 + i),
    });
  });
});

describe("a local stage's state", () => {
  test('lives under .engines/local-cloud/<stage> of the repository, and is absent for a stage never started', () => {
    expect(localStageStateFile('never-started')).toBe(`${REPO_ROOT}/.engines/local-cloud/never-started/state.json`);
    expect(fs.existsSync(path.join(REPO_ROOT, 'apps', 'cli', 'src', 'local-stage.ts'))).toBe(true);
    expect(readLocalStageState('never-started')).toBeUndefined();
  });
});
