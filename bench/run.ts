/** `npm run bench`: every benchmark in sequence; each prints its figures next to its baseline. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { benchIntake } from './intake.bench';

async function main() {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`);
  // Scoring runs in its own process so the intake run's heap and JIT state do not colour it.
  execFileSync(process.execPath, [require.resolve('tsx/cli'), 'bench/scoring.bench.ts'], { stdio: 'inherit' });
  await benchIntake();
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
