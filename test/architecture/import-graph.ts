/**
 * The repository's folder-level import graph, read from the sources: which folder imports which.
 * A folder is `src/<part>`, `workflows/<feature>`, `activities/<feature>`, `tools/<part>` or `test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const TOP = ['src', 'workflows', 'activities', 'tools', 'test'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folder a repository-relative file belongs to. */
export function folderOf(relative: string): string {
  const parts = relative.split('/');
  if (parts[0] === 'test') return 'test';
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? relative);
}

const IMPORT = /(?:from|import|require\()\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

/** Every relative import between two files of the repository, as folder pairs with the importing file. */
export function folderImports(): { from: string; to: string; file: string }[] {
  const edges: { from: string; to: string; file: string }[] = [];
  for (const top of TOP) {
    for (const file of sourceFiles(path.join(ROOT, top))) {
      const relative = path.relative(ROOT, file).split(path.sep).join('/');
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = path
          .relative(ROOT, path.resolve(path.dirname(file), match[1] ?? ''))
          .split(path.sep)
          .join('/');
        const from = folderOf(relative);
        const to = folderOf(target);
        if (from !== to) edges.push({ from, to, file: relative });
      }
    }
  }
  return edges;
}
