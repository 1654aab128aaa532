/**
 * The origin the reader reached the explorer on, for Digital Link URLs on labels when no public
 * URL is configured. Proxies say it in X-Forwarded-Host/-Proto; a host that does not look like
 * one (a forged header) is not used.
 */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function first(value: string | null): string | undefined {
  const head = value?.split(',')[0]?.trim();
  return head === '' ? undefined : head;
}

export function requestOrigin(headers: { get(name: string): string | null }): string | undefined {
  const host = first(headers.get('x-forwarded-host')) ?? first(headers.get('host'));
  if (host === undefined || !HOST.test(host)) return undefined;
  const forwarded = first(headers.get('x-forwarded-proto'))?.toLowerCase();
  const local = /^(localhost|127\.|\[::1\])/.test(host);
  const proto =
    forwarded === 'http' || forwarded === 'https' ? forwarded : local ? 'http' : 'https';
  return `${proto}://${host}`;
}
