import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../../shared/errors/app-error';

// Addresses a callback must not reach unless an operator allows them: otherwise a webhook
// sender could make Handoff call into the private network (SSRF).
const PRIVATE = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['::ffff:0:0', 96]] as const)
  PRIVATE.addSubnet(addr, prefix, 'ipv6');

function allowList(entries: string[]): { hosts: Set<string>; ranges: net.BlockList } {
  const hosts = new Set<string>();
  const ranges = new net.BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split('/');
    const family = net.isIP(addr);
    if (family && bits) ranges.addSubnet(addr, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
    else if (family) ranges.addAddress(addr, family === 6 ? 'ipv6' : 'ipv4');
    else hosts.add(entry.toLowerCase());
  }
  return { hosts, ranges };
}

function isPrivate(address: string): boolean {
  const family = net.isIP(address);
  return family !== 0 && PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Refuses callback URLs that are not http(s) or that point at loopback, link-local or private
 * addresses not named in CALLBACK_ALLOWED_HOSTS. Names that do not resolve now are accepted:
 * the delivery worker checks the resolved address again before every request.
 */
export async function assertCallbackAllowed(raw: string, allowed: string[]): Promise<void> {
  const reason = await callbackRefusal(raw, allowed);
  if (reason) throw new AppError('VALIDATION_FAILED', 'The callback URL is not allowed.', { errors: [{ path: 'callbackUrl', message: reason }] });
}

/** Why a callback URL may not be called, or null when it may. */
export async function callbackRefusal(raw: string, allowed: string[]): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allow = allowList(allowed);
  if (allow.hosts.has(host)) return null;
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else if (host === 'localhost' || host.endsWith('.localhost')) addresses = ['127.0.0.1'];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return null;
    }
  }
  for (const a of addresses) {
    const family = net.isIP(a) === 6 ? 'ipv6' : 'ipv4';
    if (isPrivate(a) && !allow.ranges.check(a, family)) return `points at a private or loopback address (${a}); allow it with CALLBACK_ALLOWED_HOSTS`;
  }
  return null;
}
