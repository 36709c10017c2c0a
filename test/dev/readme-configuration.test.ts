/** README's configuration tables are the schemas' keys and defaults, so the docs cannot drift from the code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { configSchema, SECRET_KEYS } from '../../src/config/config';
import { simEnvSchema } from '../../tools/sim/sim-env';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Rows of the first table under a `### heading`: variable → its cells. */
function table(heading: string): Map<string, string[]> {
  const start = readme.indexOf(`\n### ${heading}\n`);
  if (start < 0) throw new Error(`README has no "### ${heading}"`);
  const rest = readme
    .slice(start + 1)
    .split('\n')
    .slice(1);
  const end = rest.findIndex((line) => line.startsWith('#'));
  const rows = rest.slice(0, end < 0 ? undefined : end).filter((line) => /^\| `[A-Z0-9_]+` +\|/.test(line));
  return new Map(
    rows.map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return [cells[0]!.replace(/`/g, ''), cells.slice(1)];
    }),
  );
}

/** How README writes a key's default: `value`, or required / unset / empty. */
function documentedDefault(schema: z.ZodType): string {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return 'required';
  if (parsed.data === undefined) return 'unset';
  if (Array.isArray(parsed.data) && parsed.data.length === 0) return 'empty';
  return `\`${String(parsed.data)}\``;
}

function expectTableMatches(rows: Map<string, string[]>, shape: Record<string, z.ZodType>): void {
  expect([...rows.keys()].sort()).toEqual(Object.keys(shape).sort());
  for (const [key, schema] of Object.entries(shape))
    expect({ key, default: rows.get(key)?.[0] }).toEqual({ key, default: documentedDefault(schema) });
}

test('the engine and Temporal tables list every config key with its schema default, and mark exactly the secret keys', () => {
  const rows = new Map([...table('Engine'), ...table('Temporal connection, payload encryption and the worker')]);
  expectTableMatches(rows, configSchema.shape);
  const marked = [...rows].filter(([, cells]) => cells[1] === 'yes').map(([key]) => key);
  expect(marked.sort()).toEqual([...SECRET_KEYS].sort());
});

test('the simulators table lists every simulator key with its schema default', () => {
  expectTableMatches(table('Simulators'), simEnvSchema.shape);
});

test('README publishes no key a stack accepts: curl examples read the random keys from the stack', () => {
  expect(readme).not.toMatch(/x-api-key: [A-Za-z0-9_-]{16,}/);
  expect(readme).toContain('npm run member-token');
});
