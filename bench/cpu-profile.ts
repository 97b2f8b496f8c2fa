/**
 * A CPU profile of this process through node:inspector (what `node --cpu-prof` records), summarised
 * by self time: per function, and charged to the nearest library or source module on the stack, so
 * that Node's internals called by, say, pg count as pg's.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export async function startCpuProfile(): Promise<{ stop(file: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      return summarise(profile.nodes as ProfileNode[], file);
    },
  };
}

/** node_modules/<package>, src/<dir>/<dir>, or what V8 calls it ("(garbage collector)", node:internal…). */
function owner(url: string, functionName: string): string | null {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src\/[^/]+\/[^/.]+)/.exec(url);
  if (src) return src[1];
  if (/\/bench\//.test(url)) return 'bench';
  if (!url && functionName.startsWith('(')) return functionName;
  return null;
}

function summarise(nodes: ProfileNode[], file: string): string {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  for (const n of nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const f = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    selfByFunction.set(f, (selfByFunction.get(f) ?? 0) + hits);
    let at: ProfileNode | undefined = n;
    let charged: string | null = null;
    while (at && !(charged = owner(at.callFrame.url, at.callFrame.functionName))) at = byId.get(parent.get(at.id) ?? -1);
    const key = charged ?? 'node internals (no library on the stack)';
    selfByOwner.set(key, (selfByOwner.get(key) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  return `CPU profile ${file} (${total} samples)\nself time charged to the nearest library or module:\n${top(selfByOwner, 25)}\nself time by function:\n${top(selfByFunction, 30)}`;
}
