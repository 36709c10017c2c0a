import { createLianLianSimulator } from './lianlian/simulator';
import { closeOnSignal, lianLianOptionsFromEnv, loadSimEnv, printKeyPaths, xjpOptionsFromEnv } from './sim-env';
import { createXjpSimulator } from './xjp/simulator';

/** `npm run sim`: LianLian, then XJP pointed at it. */
async function main(): Promise<void> {
  const env = loadSimEnv();
  const lianlian = await createLianLianSimulator(lianLianOptionsFromEnv(env)).listen(env.LIANLIAN_SIM_PORT);
  const xjpOptions = { ...xjpOptionsFromEnv(env), lianlianBaseUrl: env.LIANLIAN_BASE_URL ?? lianlian.url };
  const xjp = await createXjpSimulator(xjpOptions).listen(env.XJP_SIM_PORT);
  printKeyPaths(env);
  console.log(
    `LianLian simulator on ${lianlian.url}; XJP simulator on ${xjp.url}; XJP notifies ${xjpOptions.engineNotifyUrl}`,
  );
  closeOnSignal(async () => {
    await xjp.close();
    await lianlian.close();
  });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
