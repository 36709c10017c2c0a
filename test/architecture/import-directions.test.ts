import { folderImports } from './import-graph';

const edges = folderImports();
const pairs = new Set(edges.map(({ from, to }) => `${from} → ${to}`));

describe('the folder import graph', () => {
  it('has no two folders importing each other', () => {
    const mutual = [...pairs].filter((pair) => {
      const [from, to] = pair.split(' → ');
      return pairs.has(`${to} → ${from}`);
    });
    expect(mutual).toEqual([]);
  });

  it('keeps the product (src, workflows, activities) free of development tooling and tests', () => {
    const product = /^(src|workflows|activities)(\/|$)/;
    const tooling = /^(tools|test)(\/|$)/;
    expect(edges.filter(({ from, to }) => product.test(from) && tooling.test(to))).toEqual([]);
  });

  it('lets activities reach no workflow code: workflows depend on activity types, never the reverse', () => {
    expect(edges.filter(({ from, to }) => from.startsWith('activities') && to.startsWith('workflows'))).toEqual([]);
  });

  it('is read from the sources (the reader finds the known api → workflow contract edge)', () => {
    expect(pairs.has('src/api → workflows/purchase')).toBe(true);
  });
});
