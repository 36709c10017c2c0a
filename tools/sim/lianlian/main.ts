import { closeOnSignal, lianLianOptionsFromEnv, loadSimEnv, printKeyPaths } from '../sim-env';
import { createLianLianSimulator } from './simulator';

/** `npm run sim:lianlian`: the LianLian simulator alone. */
async function main(): Promise<void> {
  const env = loadSimEnv();
  const running = await createLianLianSimulator(lianLianOptionsFromEnv(env)).listen(env.LIANLIAN_SIM_PORT);
  printKeyPaths(env);
  console.log(
    `LianLian simulator on ${running.url} (cashier: ${running.url}/cashier/<token>, admin: ${running.url}/admin/state)`,
  );
  closeOnSignal(running.close);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
