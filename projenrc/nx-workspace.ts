import { Component, JsonFile } from 'projen';
import { NodeProject } from 'projen/lib/javascript';

/**
 * Writes `nx.json` only: Nx infers the projects from each package.json, so no project.json is kept by hand.
 * Re-installs at the root when only a workspace's package.json changed (subprojects never install alone).
 */
export class NxWorkspace extends Component {
  constructor(private readonly root: NodeProject) {
    super(root);
    new JsonFile(root, 'nx.json', {
      obj: {
        $schema: './node_modules/nx/schemas/nx-schema.json',
        // Nx 23 caches in ~/.nx by default, shared between clones: keep the cache inside the workspace.
        cacheDirectory: '.nx/cache',
        defaultBase: 'main',
        namedInputs: {
          default: ['{projectRoot}/**/*'],
          production: ['default', '!{projectRoot}/test/**/*', '!{projectRoot}/bench/**/*', '!{projectRoot}/test-reports/**/*'],
        },
        targetDefaults: {
          // build, test and lint contain none of each other (workspace.ts): `nx run-many -t build test lint` runs each once.
          build: { dependsOn: ['^build'], cache: true, inputs: ['default', '^production'], outputs: ['{projectRoot}/lib', '{projectRoot}/dist', '{projectRoot}/cdk.out'] },
          compile: { dependsOn: ['^compile'], cache: true, inputs: ['production', '^production'], outputs: ['{projectRoot}/lib'] },
          // A fresh clone has no compiled dependencies: tests need ^compile, never ^test.
          test: { dependsOn: ['^compile'], cache: true, inputs: ['default', '^production'], outputs: ['{projectRoot}/test-reports'] },
          // The import resolver reads the dependencies' compiled declarations.
          lint: { dependsOn: ['^compile'], cache: true, inputs: ['default', '^production'] },
          bench: { dependsOn: ['compile'], cache: false },
          package: { dependsOn: ['compile'], cache: true, outputs: ['{projectRoot}/dist'] },
        },
        parallel: 2,
      },
      committed: true,
    });
  }

  postSynthesize(): void {
    const changed = this.root.subprojects.some((sub) => sub instanceof NodeProject && sub.package.file.changed);
    if (changed && !this.root.package.file.changed) {
      this.root.tasks.runTask(process.env.CI ? 'install:ci' : 'install');
    }
  }
}
