import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Workflow code imports the domain, so anything but sibling modules would break determinism or the bundle.
const DOMAIN_DIR = join(__dirname, '../../src/domain');
const IMPORT_SOURCE =
  /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('domain purity', () => {
  const files = readdirSync(DOMAIN_DIR).filter((name) => name.endsWith('.ts'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s imports only sibling domain modules', (file) => {
    const source = readFileSync(join(DOMAIN_DIR, file), 'utf8');
    const imports = [...source.matchAll(IMPORT_SOURCE)].map((match) => match[1] ?? match[2] ?? match[3]);
    expect(imports.filter((path) => !/^\.\/[\w-]+$/.test(path ?? ''))).toEqual([]);
  });

  it.each(files)('%s reads no clock or randomness', (file) => {
    const source = readFileSync(join(DOMAIN_DIR, file), 'utf8');
    expect(source).not.toMatch(/Date\.now|Math\.random|new Date\(\)|process\./);
  });
});
