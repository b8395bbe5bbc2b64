import { writeFileSync } from 'fs';
import { join } from 'path';
import { renderRulesDoc, rules } from '../src';

const target = join(__dirname, '..', 'RULES.md');
writeFileSync(target, renderRulesDoc(rules));
console.log(`wrote ${rules.length} rules to ${target}`);
