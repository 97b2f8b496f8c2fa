import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message Handoff delivered to the demo's helpdesk (an AI answer or an agent reply). */
export interface Delivered {
  ticketId: string;
  author: string;
  hasDisclosure: boolean;
}

/**
 * The stand-in helpdesk: a loopback HTTP server that accepts Handoff's signed callbacks, as a real
 * helpdesk would, and tells the demo when an answer arrives so simulated customers can react.
 */
export async function startHelpdesk(onMessage: (d: Delivered) => void) {
  const delivered: Delivered[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (payload?.event === 'ticket.message' && payload.message) {
          const d = { ticketId: String(payload.ticketId), author: String(payload.message.author), hasDisclosure: Boolean(payload.message.disclosure) };
          delivered.push(d);
          onMessage(d);
        }
      } catch {
        // Not JSON: a real helpdesk would answer 400 and so does this one.
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/handoff`,
    delivered,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
