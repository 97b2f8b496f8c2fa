import type { DemoSummary } from './demo';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 1000) / 10}%`);
const secs = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 10) / 10}s`);

/** The end-of-day report: what was routed where and why, what the AI said, and how fast and fair it was. */
export function printSummary(s: DemoSummary): void {
  console.log(`\nRun ${s.runId}: ${s.tickets} tickets, ${s.followUps} "that didn't help" follow-ups${s.timedOut ? ' (stopped at --max-seconds)' : ''}.`);

  console.log('\nTickets by route (first → final) and status');
  const statuses = ['ai_queued', 'ai_answered', 'human_queued', 'assigned', 'resolved'];
  console.table(
    Object.fromEntries(
      Object.entries(s.byRouteAndStatus).map(([route, byStatus]) => [
        route,
        { ...Object.fromEntries(statuses.map((st) => [st, byStatus[st] ?? 0])), total: Object.values(byStatus).reduce((a, b) => a + b, 0) },
      ]),
    ),
  );

  const waiting = Object.entries(s.stillWaiting);
  if (waiting.length > 0) {
    console.log(`Still waiting for a person: ${waiting.map(([lang, n]) => `${n} in ${lang}`).join(', ')} (no demo agent speaks or has the skills for them: that is what the queue and SLA breaches are for).\n`);
  }
  console.log('Reasons (tickets whose decisions gave each)');
  console.table(Object.fromEntries(Object.entries(s.reasons).sort((a, b) => b[1] - a[1]).map(([code, n]) => [code, { tickets: n }])));

  console.log('Answers');
  console.table({
    'AI answers written': { count: s.aiAnswersWritten },
    'AI answers delivered to the helpdesk': { count: s.callbacksEnabled ? s.delivered.aiAnswers : 'callbacks off' },
    '  … carrying the AI disclosure': { count: s.callbacksEnabled ? s.delivered.aiWithDisclosure : 'callbacks off' },
    'agent replies sent': { count: s.agentReplies },
    'agent replies delivered to the helpdesk': { count: s.callbacksEnabled ? s.delivered.agentReplies : 'callbacks off' },
    'tickets resolved by agents': { count: s.resolved },
    'left over from earlier demo runs, also answered': { count: s.earlierDemoTickets },
  });

  console.log(`SLA attainment since the run started (GET /v1/stats/sla?groupBy=route; other traffic in the window counts too)`);
  console.table(
    Object.fromEntries(
      (s.sla.groups ?? []).map((g: any) => [
        g.key,
        {
          tickets: g.tickets,
          'first response': pct(g.firstResponse.attainment),
          'first response p50': secs(g.firstResponse.p50Seconds),
          resolution: pct(g.resolution.attainment),
          'resolution p50': secs(g.resolution.p50Seconds),
        },
      ]),
    ),
  );
  if (s.sla.ai) console.log(`AI containment: ${pct(s.sla.ai.containmentRate)} (${s.sla.ai.answered} answered, ${s.sla.ai.escalatedAfterAnswer} escalated after the answer); humans waiting: ${s.sla.queue?.humanWaiting ?? '–'}`);

  console.log(`\nFairness by customer locale (GET /v1/stats/fairness; flagged under ${pct(s.fairness.threshold)} of the best group)`);
  console.table(
    Object.fromEntries(
      (s.fairness.groups ?? []).map((g: any) => [
        g.key,
        {
          tickets: g.tickets,
          'AI share': pct(g.aiShare),
          'escalated after AI': pct(g.escalatedAfterAiShare),
          'first response p50': secs(g.firstResponseP50Seconds),
          flagged: g.smallSample ? 'small sample' : g.flagged ? `yes: ${g.flaggedRates.join(', ')}` : 'no',
        },
      ]),
    ),
  );

  console.log(`Dashboard: ${s.dashboardUrl}  (sign in with the supervisor key ${s.supervisorKey})`);
}
