// Every eval conversation, in the order the results table lists them.
import type { EvalConversation } from '../dataset.js';
import { adversarialConversations } from './adversarial.js';
import { arcadeConversations } from './arcade.js';
import { workshopConversations } from './workshop.js';

export const conversations: EvalConversation[] = [
  ...arcadeConversations,
  ...workshopConversations,
  ...adversarialConversations,
];
