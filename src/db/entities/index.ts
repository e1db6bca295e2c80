import { PingSchema } from './ping.js';

export { PingSchema, type Ping } from './ping.js';

/** Every entity the ORM knows; migrations are generated from this list. */
export const allEntities = [PingSchema];
