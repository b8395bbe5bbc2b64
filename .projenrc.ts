import { auditProject } from './projenrc/projects/audit';
import { cacheProject } from './projenrc/projects/cache';
import { cliProject } from './projenrc/projects/cli';
import { assertNoPrivateWorkspaceDeps, constructsProject } from './projenrc/projects/constructs';
import { functionsProject } from './projenrc/projects/functions';
import { identifiersProject } from './projenrc/projects/identifiers';
import { infraProject } from './projenrc/projects/infra';
import { localCloudProject } from './projenrc/projects/local-cloud';
import { rulesProject } from './projenrc/projects/rules';
import { storeProject } from './projenrc/projects/store';
import { toolsProject } from './projenrc/projects/tools';
import { createWorkspace } from './projenrc/workspace';

const root = createWorkspace();
const tools = toolsProject(root);
// The identifier grammars, below everything that names, keys or parses a stage, flag, service, team or region.
const identifiers = identifiersProject(root);
const cache = cacheProject(root, { tools, identifiers });
// The evaluation contract services run (targeting operators, buckets) lives in cache; the rules check against it.
const rules = rulesProject(root, { tools, cache, identifiers });
const audit = auditProject(root, { tools, identifiers });
const store = storeProject(root, { tools, identifiers });
const functions = functionsProject(root, { tools, rules, cache, audit, store, identifiers });
const constructs = constructsProject(root, { functions, store, cache, tools, identifiers });
const infra = infraProject(root, { constructs, rules, tools, identifiers });
const localCloud = localCloudProject(root, { tools, cache, audit, store, rules, identifiers });
cliProject(root, { tools, rules, cache, audit, store, functions, localCloud, infra, constructs, identifiers });

root.package.addField('workspaces', root.subprojects.map((sub) => sub.outdir.replace(`${root.outdir}/`, '')));
assertNoPrivateWorkspaceDeps(constructs, root);
root.synth();
