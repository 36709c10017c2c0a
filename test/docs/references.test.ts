/**
 * Every file the documentation names, and every file a code comment cites, exists: a move or rename
 * that leaves a reference behind fails here instead of misleading the next reader. Sections cited
 * as `docs/<file>.md#<anchor>` must exist too (anchors as GitHub derives them from headings).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Top-level entries a reference may start with: what the repository holds, not what a run generates. */
const GENERATED = new Set(['.git', '.cache', '.data', 'node_modules', 'dist', 'coverage']);
const TOP_LEVEL = readdirSync(ROOT).filter((name) => !GENERATED.has(name));
const CODE_FOLDERS = ['src', 'workflows', 'activities', 'tools', 'test'];

interface Reference {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return GENERATED.has(entry.name) ? [] : filesUnder(full, keep);
    return keep(entry.name) ? [full] : [];
  });
}

function relative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/** A candidate names a repository file when its first segment is a top-level entry of the repository. */
function isRepositoryPath(candidate: string): boolean {
  if (/\s|^[a-z]+:|^\/|[<>{}|]/.test(candidate)) return false;
  const first = candidate.replace(/^\.\//, '').split(/[/#]/)[0] ?? '';
  return TOP_LEVEL.includes(first) && (candidate.includes('/') || candidate.includes('.'));
}

/** Paths in backticks and markdown link targets of one markdown file (fenced code blocks skipped). */
function markdownReferences(file: string): Reference[] {
  const refs: Reference[] = [];
  let fenced = false;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trimStart().startsWith('```')) fenced = !fenced;
      if (fenced) return;
      // Backticks name paths from the repository root; a link target is relative to the file that holds it.
      const named = [...text.matchAll(/`([^`\n]+)`/g)]
        .flatMap((m) => (m[1] ?? '').split(/\s+/))
        .map((word) => word.replace(/:\d+$/, ''));
      const linked = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^[a-z]+:/.test(target))
        .map((target) =>
          target.startsWith('#') ? relative(file) + target : relative(path.resolve(path.dirname(file), target)),
        );
      for (const target of [...named, ...linked]) {
        if (isRepositoryPath(target)) refs.push({ file: relative(file), line: index + 1, target });
      }
    });
  return refs;
}

/** The comment text of a source line: a whole comment line, or what follows ` // `. */
function commentOf(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (/^(\/\/|\/\*|\*)/.test(trimmed)) return trimmed;
  const inline = text.indexOf(' // ');
  return inline >= 0 ? text.slice(inline) : undefined;
}

/** Repository paths (`src/…`, `docs/…`, …) cited in comments of the TypeScript and config sources. */
function commentReferences(file: string): Reference[] {
  const refs: Reference[] = [];
  const cited = new RegExp(`(?<![\\w./@*-])((?:${[...CODE_FOLDERS, 'docs'].join('|')})/[\\w./*#-]*[\\w*/])`, 'g');
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const comment = commentOf(text);
      if (comment === undefined) return;
      for (const match of comment.matchAll(cited))
        refs.push({ file: relative(file), line: index + 1, target: match[1] ?? '' });
    });
  return refs;
}

/** GitHub's heading anchors of a markdown file. */
function anchorsOf(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8')
    .split('\n')
    .filter((text) => /^#{1,6} /.test(text));
  return new Set(
    headings.map((text) =>
      text
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

/** Why a reference does not resolve, or undefined when it does. A glob needs its folder; an anchor its heading. */
function problemWith(target: string): string | undefined {
  const [filePart = '', anchor] = target.split('#');
  const wildcard = filePart.indexOf('*');
  const mustExist = wildcard >= 0 ? filePart.slice(0, filePart.lastIndexOf('/', wildcard) + 1) : filePart;
  const full = path.join(ROOT, mustExist);
  if (!existsSync(full)) return 'no such file or folder';
  if (anchor === undefined) return undefined;
  if (!statSync(full).isFile() || !full.endsWith('.md')) return 'an anchor on something that is not a markdown file';
  return anchorsOf(full).has(anchor) ? undefined : `no heading with anchor #${anchor}`;
}

function unresolved(refs: Reference[]): string[] {
  return refs.flatMap(({ file, line, target }) => {
    const problem = problemWith(target);
    return problem === undefined ? [] : [`${file}:${line} → ${target}: ${problem}`];
  });
}

const markdownFiles = [
  path.join(ROOT, 'README.md'),
  ...filesUnder(path.join(ROOT, 'docs'), (name) => name.endsWith('.md')),
];
const sourceFiles = [
  ...CODE_FOLDERS.flatMap((folder) => filesUnder(path.join(ROOT, folder), (name) => /\.(ts|mjs|js)$/.test(name))),
  ...TOP_LEVEL.filter((name) => /\.(mjs|js)$/.test(name)).map((name) => path.join(ROOT, name)),
];

describe('references to repository files', () => {
  it('resolves every path README.md and docs/*.md name', () => {
    expect(unresolved(markdownFiles.flatMap(markdownReferences))).toEqual([]);
  });

  it('resolves every docs/ file and repository path a code comment cites', () => {
    expect(unresolved(sourceFiles.flatMap(commentReferences))).toEqual([]);
  });

  it('finds the references it checks: named paths, relative links with anchors, comment citations', () => {
    const documented = markdownFiles.flatMap(markdownReferences).map((r) => r.target);
    expect(documented).toContain('src/api/app.ts');
    expect(documented).toContain('.ci/run');
    expect(documented).toContain('docs/architecture.md#workflow-versioning-before-the-first-release');
    expect(sourceFiles.flatMap(commentReferences).map((r) => r.target)).toContain('docs/partner-wire.md');
  });

  it('reports a missing file, a missing folder of a glob and a missing heading', () => {
    expect(problemWith('src/api/no-such-file.ts')).toBe('no such file or folder');
    expect(problemWith('test/no-such-folder/*.json')).toBe('no such file or folder');
    expect(problemWith('test/histories/*.json')).toBeUndefined();
    expect(problemWith('docs/partner-wire.md#no-such-heading')).toBe('no heading with anchor #no-such-heading');
  });
});
