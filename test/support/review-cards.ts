// Reading a record review's ephemeral card as the member sees it in the sandbox.
import type { World } from '../sandbox/world.js';

export interface Card {
  id: string;
  content: string;
  embeds?: { title: string; description: string; footer?: { text: string } }[];
  components?: { components: { custom_id: string; label: string }[] }[];
}

/** Waits until the member's card (the same message, edited on every click) carries a title matching `title`. */
export function cardTitled(world: World, cardId: string, title: RegExp, timeoutMs = 20_000): Promise<Card> {
  return world.sandbox.driver.waitFor(() => {
    const card = world.sandbox.driver.ephemeralMessagesFor(world.memberId).find((message) => message.id === cardId) as
      | Card
      | undefined;
    return card?.embeds?.some((embed) => title.test(embed.title)) ? card : undefined;
  }, timeoutMs);
}

/** The custom_id of the card's button with this label. */
export function button(card: Card, label: string): string {
  const found = card.components?.flatMap((row) => row.components).find((component) => component.label === label);
  if (!found) throw new Error(`no ${label} button on ${JSON.stringify(card)}`);
  return found.custom_id;
}
