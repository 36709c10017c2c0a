import { closeOnSignal, loadSimEnv, printKeyPaths, xjpOptionsFromEnv } from '../sim-env';
import { createXjpSimulator } from './simulator';

/** `npm run sim:xjp`: the XJP simulator alone. */
async function main(): Promise<void> {
  const env = loadSimEnv();
  const running = await createXjpSimulator(xjpOptionsFromEnv(env)).listen(env.XJP_SIM_PORT);
  printKeyPaths(env);
  console.log(`XJP simulator on ${running.url} (admin: ${running.url}/admin/state)`);
  closeOnSignal(running.close);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
