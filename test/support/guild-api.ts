// Calls to Steward's HTTP API under /api/v1/guilds/:guildId with a server's API token, as another system would.
export interface GuildApiTarget {
  httpUrl: string | undefined;
  guildId: string;
  token: string;
}

export async function callGuildApi<T>({ httpUrl, guildId, token }: GuildApiTarget, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${httpUrl}/api/v1/guilds/${guildId}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as T };
}
