import { performance } from 'node:perf_hooks';
import { scoringDuration } from '../../shared/metrics';
import { scoreTicket, type ScoreInput, type TicketScore } from '../scoring';

/** scoreTicket, with its time on the event loop recorded under the message's trigger. */
export function scoreMessage(trigger: 'intake' | 'follow_up', input: ScoreInput): TicketScore {
  const start = performance.now();
  const score = scoreTicket(input);
  scoringDuration.observe({ trigger }, (performance.now() - start) / 1000);
  return score;
}
