import type { Command } from 'commander';
import { startRuntime } from '../../org/runtime.js';
import { startWorkers } from '../../org/worker.js';
import { getRepository } from '../../store/repositories.js';
import { pendingScans } from '../../store/scans.js';
import { addJobOptions, runtimeOptions, type JobFlags } from '../org-flags.js';
import { withStore } from '../store-flags.js';

/**
 * `sasquatch worker`: runs scan jobs from the store's queue until stopped (SIGINT/SIGTERM:
 * the running jobs finish first), or with --drain until nothing is queued or running. Start
 * it on as many machines as you like, all with the same --store postgres://….
 */
interface WorkerFlags extends JobFlags {
  drain?: boolean;
  poll: number;
}

export function registerWorker(program: Command): void {
  addJobOptions(
    program
      .command('worker')
      .description('run scan jobs queued by `org scan --enqueue` (on any number of machines sharing a postgres:// store)')
      .option('--drain', 'exit once nothing is queued or running')
      .option('--poll <ms>', 'how often an idle worker asks for work', (v) => Math.max(100, Number(v) || 1000), 1000),
  ).action(async (flags: WorkerFlags) => {
    const say = (s: string) => {
      if (!flags.quiet) process.stderr.write(`${s}\n`);
    };
    await withStore(flags.store, async (db) => {
      if (db.kind === 'embedded') say(`worker on the embedded store ${db.location} (one process; for several machines use --store postgres://…)`);
      const runtime = await startRuntime(db, runtimeOptions(flags, (e) => say(`worker: ${e.message}`)));
      const names = new Map<number, string>();
      const name = async (id: number) => names.get(id) ?? (await getRepository(db, id))?.name ?? `repository ${id}`;
      const workers = startWorkers(
        runtime.ctx,
        flags.concurrency,
        {
          onStart: (data) => void name(data.repositoryId).then((n) => say(`scanning ${n}${data.part ? ` part ${data.part.index + 1}/${data.part.total}` : ''}…`)),
          onJob: (data, outcome, error, ms) => {
            void name(data.repositoryId).then((n) => {
              const part = data.part ? ` part ${data.part.index + 1}/${data.part.total}` : '';
              if (error) say(`failed ${n}${part} after ${(ms / 1000).toFixed(1)} s: ${error.message}`);
              else if (outcome?.kind === 'split') say(`split ${n} into ${outcome.parts} parts`);
              else say(`scanned ${n}${part} in ${(ms / 1000).toFixed(1)} s: ${outcome?.findings ?? 0} findings`);
            });
          },
          onError: (e) => say(`worker: ${e.message}`),
        },
        flags.poll,
      );
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const onSignal = () => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (flags.drain) {
        void (async () => {
          // the queue may still be filling: a worker that found it empty looks twice before leaving
          let idle = 0;
          while (idle < 2) {
            await new Promise((r) => setTimeout(r, flags.poll));
            idle = (await pendingScans(db, null).catch(() => 1)) === 0 && workers.active() === 0 ? idle + 1 : 0;
          }
          stop();
        })();
      }
      await stopped;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await workers.stop();
      await runtime.close();
      const rssMb = process.resourceUsage().maxRSS / 1024;
      say(`worker: ${workers.counts.done} jobs done, ${workers.counts.failed} failed attempts; peak RSS ${rssMb.toFixed(0)} MB`);
    });
  });
}
