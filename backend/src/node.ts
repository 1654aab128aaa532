/** Boots the Nest application for a validated configuration. */
import type { Server } from 'node:http';
import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { bodyErrorHandler, configureApiLimits } from './api/limits.js';
import { AppModule } from './app.module.js';
import { recordCleanClose, takeCleanClose } from './chain/clean-close.js';
import { damagedDatabaseError, isDamagedDatabase } from './chain/damaged-database.js';
import { loadNodeConfig, type LogLevel, type NodeConfig } from './config/node-config.js';

const LEVELS: Record<LogLevel, NestLogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** How long an idle HTTP connection stays open. */
const KEEP_ALIVE_MS = 65_000;

export async function startNode(
  env: Record<string, string | undefined>,
): Promise<{ config: NodeConfig; close: () => Promise<void>; url: string }> {
  const config = loadNodeConfig(env);
  configureApiLimits(env);
  const logger = new ConsoleLogger({ json: true, logLevels: LEVELS[config.logLevel] });
  // Read (and consumed) before the database is opened: opening it may write beside it.
  const startup = { lastStopClean: takeCleanClose(config.dataDir) };
  let app: NestExpressApplication;
  try {
    // abortOnError off: a failure at start rejects here (Nest would exit the process itself).
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, startup), {
      logger,
      bodyParser: false,
      abortOnError: false,
    });
  } catch (error) {
    throw await startFailure(error, config, logger);
  }
  // CORS first, so that even a refused body (413) carries the headers a browser needs to read it.
  // GraphQL over HTTP only: WebSocket upgrades are not subject to CORS.
  app.enableCors({
    origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins],
    methods: ['GET', 'HEAD', 'POST'],
    maxAge: 600,
  });
  // EPCIS documents come as JSON-LD (application/ld+json).
  app.useBodyParser('json', {
    limit: config.maxBodyBytes,
    type: ['application/json', 'application/ld+json'],
  });
  // Oversized or malformed bodies get a coded GraphQL-shaped JSON error (limits.ts).
  app.use(bodyErrorHandler(config.maxBodyBytes));
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw await startFailure(error, config, logger);
  }
  const server: Server = app.getHttpServer();
  // Clients keep connections open and reuse them; Node's 5 s default lets the server close one just
  // as a busy client sends on it (ECONNRESET). Longer than clients' and proxies' usual idle limits.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  const address = server.address() as { port: number };
  const url = `http://${config.host}:${address.port}`;
  // Close the modules in reverse (consensus stops, then the database), note the clean stop.
  const close = async () => {
    await app.close();
    recordCleanClose(config.dataDir);
  };
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: shutting down`, 'node');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`, 'node');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  // Only now: whoever waits for this line may stop the node at once, and must find the handlers.
  logger.log(`waybill node ready: GraphQL ${url}/graphql`, 'node');
  return { config, close, url };
}

/** A damaged database gets verify-chain's report and what to do; anything else passes as it is. */
async function startFailure(
  error: unknown,
  config: NodeConfig,
  logger: ConsoleLogger,
): Promise<unknown> {
  if (!isDamagedDatabase(error)) return error;
  return damagedDatabaseError(error, config, (line) => {
    logger.warn(line, 'chain');
  });
}
