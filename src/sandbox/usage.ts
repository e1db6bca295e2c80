// The short how-to the bot prints at start when it runs against the sandbox.

export function sandboxUsage(url: string): string {
  return [
    `Discord sandbox running at ${url} (REST ${url}/api/v10, gateway ${url.replace(/^http/, 'ws')}/gateway).`,
    `Open ${url}/_sandbox/ in a browser to play any member: channels, cards, buttons, menus, modals, right-click apps.`,
    'Or act as a member with curl (JSON bodies):',
    `  curl ${url}/_sandbox/state                                   # users, guilds, channels, applications`,
    `  curl -X POST ${url}/_sandbox/users -d '{"username":"alice"}' -H 'content-type: application/json'`,
    `  curl -X POST ${url}/_sandbox/guilds/GUILD/members -d '{"userId":"USER"}' -H 'content-type: application/json'`,
    `  curl -X POST ${url}/_sandbox/channels/CHANNEL/messages -d '{"userId":"USER","content":"hello"}' -H 'content-type: application/json'`,
    `  curl -X POST ${url}/_sandbox/commands -d '{"userId":"USER","guildId":"GUILD","channelId":"CHANNEL","name":"ping","options":{}}' -H 'content-type: application/json'`,
    `  curl -X POST ${url}/_sandbox/message-commands -d '{"userId":"USER","guildId":"GUILD","channelId":"CHANNEL","name":"Add to records","targetMessageId":"MSG"}' -H 'content-type: application/json'`,
    `  curl -X POST ${url}/_sandbox/buttons -d '{"userId":"USER","channelId":"CHANNEL","messageId":"MSG","customId":"ID"}' -H 'content-type: application/json'`,
    `  curl ${url}/_sandbox/channels/CHANNEL/messages                # what the channel shows`,
    `  curl ${url}/_sandbox/users/USER/ephemeral                      # ephemeral replies the user saw`,
    `  curl ${url}/_sandbox/rest-log                                  # every REST call the bot made`,
  ].join('\n');
}
