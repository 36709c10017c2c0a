/**
 * The CJK font the PDFs embed: Noto Sans SC (SIL Open Font License 1.1) from the npm package
 * `@expo-google-fonts/noto-sans-sc`, a dependency, so `npm ci` installs it wherever the engine runs.
 * TrueType outlines, which pdfkit subsets to the glyphs a document uses (a few kB per PDF).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
const FILES = { regular: '400Regular/NotoSansSC_400Regular.ttf', bold: '700Bold/NotoSansSC_700Bold.ttf' } as const;

/** The two weights a document uses. */
export interface CjkFonts {
  regular: Buffer;
  bold: Buffer;
}

let loaded: CjkFonts | undefined;

/** The font files, read once per process (about 10 MB each) on the first document. */
export function cjkFonts(): CjkFonts {
  if (loaded === undefined) {
    const dir = dirname(require.resolve(`${FONT_PACKAGE}/package.json`));
    loaded = { regular: readFileSync(join(dir, FILES.regular)), bold: readFileSync(join(dir, FILES.bold)) };
  }
  return loaded;
}
