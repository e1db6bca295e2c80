// Which webhook URLs Steward will call: Discord's own webhook endpoints over https, or ones on the Discord API it is
// configured to use (the local sandbox, a proxy). Anything else would let a server's API-token holder make the
// worker call internal addresses.
const DISCORD_HOSTS = new Set(['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com']);
const WEBHOOK_PATH = /^\/api(\/v\d+)?\/webhooks\/\d{17,20}\/[\w-]{1,200}$/;

/** The URL when it is a Discord webhook Steward may execute, undefined otherwise. */
export function discordWebhookUrl(text: string, trustedOrigins: readonly string[] = []): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!WEBHOOK_PATH.test(url.pathname) || url.username || url.password) return undefined;
  const discords = url.protocol === 'https:' && DISCORD_HOSTS.has(url.hostname) && url.port === '';
  return discords || trustedOrigins.includes(url.origin) ? url : undefined;
}

/** The origin of a configured Discord API base (e.g. `http://127.0.0.1:3100/api` → `http://127.0.0.1:3100`). */
export function originOf(apiBase: string | undefined): string[] {
  return apiBase ? [new URL(apiBase).origin] : [];
}
