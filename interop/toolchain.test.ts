import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaProblem } from './centralTools';

// Part of `npm test` (the interop suite itself is not): says whether this machine can run the
// interop stage (HAPI FHIR JPA needs Java 17+ and Maven), and passes either way (issue #17).
const root = path.resolve(import.meta.dirname, '..');

describe('interop toolchain', () => {
  it('reports whether the interop stage can run here, and why not', () => {
    const problem = javaProblem();
    if (problem) {
      console.warn(`The interop stage (HAPI FHIR JPA on PostgreSQL) will not run on this machine: ${problem}`);
      expect(problem).toMatch(/java|mvn/);
    } else {
      console.info('Java 17+ and Maven are present: .ci/run builds HAPI FHIR JPA and runs npm run test:interop against it.');
      expect(fs.existsSync(path.join(root, 'interop/hapi/pom.xml'))).toBe(true);
    }
    // Whatever this machine has, CI's script runs the stage after npm test.
    expect(fs.readFileSync(path.join(root, '.ci/run'), 'utf8')).toMatch(/npm run -s test:interop -- --central "\$url"/);
  });

  it('names the missing tool when Java is not on the PATH', () => {
    expect(javaProblem({ ...process.env, PATH: '/nonexistent' })).toMatch(/^java is not installed/);
  });
});
