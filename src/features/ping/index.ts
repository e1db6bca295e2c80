// The ping feature: `/ping`, its "Ping again" button and `POST /api/ping`, the smallest flows through the spine.
import { createPingActivities } from '../../../activities/ping/index.js';
import { defineFeature } from '../feature.js';
import { pingButtons, pingCommand } from './command.js';
import { PingSchema } from './entity.js';
import { pingRoutes } from './http.js';

export const pingFeature = defineFeature({
  name: 'ping',
  commands: () => [pingCommand],
  components: [pingButtons],
  routes: (services) => pingRoutes(services),
  activities: (services) => createPingActivities(services),
  entities: [PingSchema],
});
