/**
 * A load generator in its own process, so that its CPU is not counted as the server's: forked once
 * per benchmark (one start-up for every run), each run() one message each way, runs one at a time.
 */
import { fork, type Serializable } from 'node:child_process';

export interface ForkedGenerator<O, R> {
  run(options: O): Promise<R>;
  stop(): void;
  /** The generator's process, for reading its CPU time. */
  pid: number;
}

/** Forks `file`, which calls serveGenerator when it is the main module. */
export function forkGenerator<O extends Serializable, R>(file: string, name: string): ForkedGenerator<O, R> {
  const child = fork(file, [], { execArgv: ['--import', 'tsx'] });
  return {
    run: (options) =>
      new Promise<R>((resolve, reject) => {
        child.once('message', (reply) => {
          const { error, result } = reply as { error?: string; result?: R };
          if (error) reject(new Error(error));
          else resolve(result as R);
        });
        child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
        child.send(options);
      }).finally(() => child.removeAllListeners('exit')),
    stop: () => child.kill(),
    pid: child.pid!,
  };
}

/** The forked side: answers each run's options with generate's result, or with its error. */
export function serveGenerator<O, R>(generate: (options: O) => Promise<R>): void {
  process.on('message', (options) => {
    generate(options as O).then(
      (result) => process.send!({ result }),
      (e: Error) => process.send!({ error: e.message }),
    );
  });
}
