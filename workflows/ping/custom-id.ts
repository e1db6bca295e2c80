// The ping card's one button, "Ping again": `ping:again:<text>`. The echoed text rides in the key, so it is
// kept short and to the custom_id alphabet.
import { defineCustomIds } from '../shared/custom-id.js';

export const pingCustomIds = defineCustomIds({
  flow: 'ping',
  actions: ['again'],
  writeKey: (message: string) => message.replace(/[^\w.-]/g, '-').slice(0, 40) || 'pong',
  readKey: (text) => text,
});
