/**
 * Test environments on real Temporal servers, found as tools/temporal/servers.ts describes (an
 * explicit path, the provisioned cache, the SDK's download, else a build from the registries).
 * One environment per test file: time skipped on the test server is global to the server.
 */
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol, type InternalConnectionOptions } from '@temporalio/client/lib/connection';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime } from '@temporalio/worker';
import {
  SDK_DEV_SERVER_EXTRA_ARGS,
  startDevServerProcess,
  startTimeSkippingServer,
  startWithFallbacks,
  type RunningServer,
} from '../temporal/servers';

/**
 * A TestWorkflowEnvironment on a server this module started: the SDK's class (so `client`,
 * `nativeConnection`, `sleep` and `currentTimeMs` behave as documented) whose teardown also stops
 * the server. The SDK only offers time skipping on servers it spawns itself within its 5-second
 * start window; the protected constructor lets the same class drive a server started here.
 */
class OwnServerEnvironment extends TestWorkflowEnvironment {
  private ownServer: RunningServer | undefined;

  static async attach(
    server: RunningServer,
    options: { timeSkipping: boolean; namespace?: string },
  ): Promise<OwnServerEnvironment> {
    try {
      // The flag the SDK sets on its own time-skipping connections (an internal option of the
      // pinned SDK): it exposes the TestService that `sleep`, `currentTimeMs` and result-awaiting
      // time skipping call. time-skipping.test.ts fails if a new SDK version drops it.
      const connectionOptions: InternalConnectionOptions = {
        address: server.address,
        [InternalConnectionOptionsSymbol]: { supportsTestService: options.timeSkipping },
      };
      const connection = await Connection.connect(connectionOptions);
      const nativeConnection = await NativeConnection.connect({ address: server.address });
      const env = new OwnServerEnvironment(
        Runtime.instance(),
        { server: { type: 'existing' }, client: {}, plugins: [] },
        options.timeSkipping,
        'existing',
        connection,
        nativeConnection,
        options.namespace,
        server.address,
      );
      env.ownServer = server;
      return env;
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  override async teardown(): Promise<void> {
    try {
      await super.teardown();
    } finally {
      await this.ownServer?.stop();
    }
  }
}

/** A time-skipping environment for workflow tests: timers of days pass in moments. */
export function createTimeSkippingTestEnv(): Promise<TestWorkflowEnvironment> {
  return startWithFallbacks('time-skipping', {
    fromPath: async (executable) =>
      OwnServerEnvironment.attach(await startTimeSkippingServer(executable.path), { timeSkipping: true }),
    fromSdkDownload: () => TestWorkflowEnvironment.createTimeSkipping(),
  });
}

/** Options for {@link createDevServerTestEnv}. */
export interface DevServerTestEnvOptions {
  namespace?: string;
  searchAttributes?: SearchAttributeKey<SearchAttributeType>[];
}

/** An environment on the CLI dev server (in-memory, no UI) for end-to-end tests; real time. */
export function createDevServerTestEnv(options: DevServerTestEnvOptions = {}): Promise<TestWorkflowEnvironment> {
  return startWithFallbacks('dev-server', {
    fromPath: async (executable) =>
      OwnServerEnvironment.attach(await startDevServerProcess(executable.path, options), {
        timeSkipping: false,
        namespace: options.namespace,
      }),
    fromSdkDownload: () =>
      TestWorkflowEnvironment.createLocal({
        server: {
          namespace: options.namespace,
          searchAttributes: options.searchAttributes,
          extraArgs: [...SDK_DEV_SERVER_EXTRA_ARGS],
        },
      }),
  });
}
