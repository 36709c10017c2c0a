/** `npm run build`'s last step: writes the workflow bundle the compiled worker loads (see workflow-bundle.ts). */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflows, PREBUILT_BUNDLE_PATH } from './workflow-bundle';

async function main(): Promise<void> {
  const { code } = await bundleWorkflows();
  await writeFile(PREBUILT_BUNDLE_PATH, code);
  console.log(`workflow bundle: ${PREBUILT_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
