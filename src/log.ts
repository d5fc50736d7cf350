import { pino, type Logger } from 'pino';

export type { Logger };

/** Secrets and personal data that must never reach the logs, wherever they appear in a logged object. */
const REDACT = [
  'appSecret',
  'encryptKey',
  'verificationToken',
  '*.appSecret',
  '*.encryptKey',
  '*.verificationToken',
  'headers.authorization',
  '*.headers.authorization',
  'tenant_access_token',
  '*.tenant_access_token',
  'mobile',
  '*.mobile',
];

export function createLogger(level: string = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'zhaoshang-bot' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
