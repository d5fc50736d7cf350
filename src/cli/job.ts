/*
 * npm run job -- list
 * npm run job -- run <name> [--at <ISO time>]
 * Runs one scheduled job now, as if the clock read --at. Messages go to the outbox; with a real Lark app
 * configured they are sent before the command exits, otherwise the running bot sends them.
 */
import { FixedClock, systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { migrate, openDb } from '../store/db.js';
import { createRuntime } from '../runtime.js';
import { createOutboxSender } from '../lark/outbox-sender.js';
import { allJobs, jobByName } from '../jobs/index.js';
import { runJob } from '../jobs/runner.js';
import { decodeEntities, t } from '../text.js';
import { handOffJob, runningBot } from '../ops/job-handoff.js';

const [cmd, name, ...rest] = process.argv.slice(2);

if (cmd === 'list' || !cmd) {
  for (const j of allJobs()) console.log(`${j.name.padEnd(20)} ${j.cron.padEnd(14)} ${j.description}`);
  process.exit(0);
}
if (cmd !== 'run' || !name) {
  console.error(t('jobs.cli.usage'));
  process.exit(2);
}
const job = jobByName(name);
if (!job) {
  console.error(
    t('jobs.cli.unknown_job', {
      name,
      names: allJobs()
        .map((j) => j.name)
        .join(', '),
    }),
  );
  process.exit(2);
}
const atIndex = rest.indexOf('--at');
const atArg = atIndex >= 0 ? rest[atIndex + 1] : undefined;
const at = atArg ? new Date(atArg) : systemClock.now();
if (Number.isNaN(at.getTime())) {
  console.error(decodeEntities(t('jobs.cli.bad_at', { at: atArg ?? '' })));
  process.exit(2);
}

let config;
try {
  config = loadConfig({ ...process.env, SCHEDULER: 'off' });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
// The embedded database belongs to the running `npm start`, if there is one: it runs the job for us.
const running = runningBot(config.databaseUrl);
if (running) {
  try {
    const outcome = await handOffJob(running, job.name, atArg ? at : undefined);
    console.error(t('jobs.cli.handed_off', { pid: running.pid }));
    console.log(JSON.stringify(outcome));
    process.exit(outcome.status === 'failed' ? 1 : 0);
  } catch (err) {
    console.error(t('jobs.cli.handoff_failed', { pid: running.pid, error: err instanceof Error ? err.message : String(err) }));
    process.exit(1);
  }
}
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const handle = await openDb(config.databaseUrl);
await migrate(config.databaseUrl, handle);
const clock = atArg ? new FixedClock(at) : systemClock;
const runtime = await createRuntime({
  config,
  db: handle.db,
  clock,
  logger,
  larkDomain: config.lark.domain,
  senderLoop: false,
});
// JOB_LEASE_MS as the scheduler uses it: a run this command left behind when it was killed lapses as configured.
const outcome = await runJob(runtime.deps, job, at, { leaseMs: config.durability.jobLeaseMs });
console.log(JSON.stringify(outcome));
// Sent on the real clock, not --at's: the claims' leases and send times are read by the running bot, and a lease
// stamped weeks ahead would hold the rows this command claimed (if it is killed) until then.
if (!config.lark.emulated && outcome.status === 'done')
  await createOutboxSender({ db: handle.db, lark: runtime.lark, logger, leaseMs: config.durability.outboxLeaseMs }).settle({
    timeoutMs: 120_000,
  });
await handle.close();
process.exit(outcome.status === 'failed' ? 1 : 0);
