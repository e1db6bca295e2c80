// Who is coming to an event: Going (up to the capacity), Maybe, Can't go, and a waitlist in the order people asked.
// A freed seat is offered to the first waitlisted member for a while; an offer not claimed in time passes to the
// next. Pure and deterministic (times come in as arguments), so the workflow and the tests share one rulebook.

export type Answer = 'going' | 'maybe' | 'no';

export interface Offer {
  userId: string;
  /** Epoch ms after which the offer passes to the next member. */
  expiresAt: number;
}

export interface RosterSnapshot {
  capacity: number | null;
  going: string[];
  maybe: string[];
  no: string[];
  waitlist: string[];
  /** Each waitlisted member's place key (the click's snowflake), in the same order as `waitlist`. */
  waitlistOrder?: string[];
  offer: Offer | null;
}

/** What an answer did, for the member's reply and for the workflow's next steps. */
export type RsvpOutcome = 'going' | 'waitlisted' | 'maybe' | 'no' | 'unchanged';

export class Roster {
  private going: string[] = [];
  private maybe: string[] = [];
  private no: string[] = [];
  private waitlist: string[] = [];
  /** Place keys of the waitlist: Discord snowflakes of the clicks, so the waitlist keeps the order people clicked in. */
  private waitlistOrder: string[] = [];
  private offer: Offer | null = null;

  constructor(private capacity: number | null) {}

  static from(snapshot: RosterSnapshot): Roster {
    const roster = new Roster(snapshot.capacity);
    roster.going = [...snapshot.going];
    roster.maybe = [...snapshot.maybe];
    roster.no = [...snapshot.no];
    roster.waitlist = [...snapshot.waitlist];
    roster.waitlistOrder = snapshot.waitlistOrder ? [...snapshot.waitlistOrder] : snapshot.waitlist.map(() => '');
    roster.offer = snapshot.offer;
    return roster;
  }

  snapshot(): RosterSnapshot {
    return { capacity: this.capacity, going: [...this.going], maybe: [...this.maybe], no: [...this.no], waitlist: [...this.waitlist], waitlistOrder: [...this.waitlistOrder], offer: this.offer };
  }

  /** Seats taken, counting a seat held for an open offer. */
  private get seatsTaken(): number {
    return this.going.length + (this.offer ? 1 : 0);
  }

  private get hasSeat(): boolean {
    return this.capacity === null || this.seatsTaken < this.capacity;
  }

  answerOf(userId: string): Answer | 'waitlisted' | undefined {
    if (this.going.includes(userId)) return 'going';
    if (this.waitlist.includes(userId) || this.offer?.userId === userId) return 'waitlisted';
    if (this.maybe.includes(userId)) return 'maybe';
    if (this.no.includes(userId)) return 'no';
    return undefined;
  }

  /**
   * The member's latest answer wins. "Going" takes a free seat or joins the end of the waitlist; leaving Going frees
   * a seat, which the caller offers with `offerNext`. A member holding an offer who answers Going claims it.
   */
  answer(userId: string, answer: Answer, order = ''): RsvpOutcome {
    const current = this.answerOf(userId);
    if (answer === 'going' && this.offer?.userId === userId) return this.claim(userId) ? 'going' : 'unchanged';
    if (answer === 'going' && (current === 'going' || current === 'waitlisted')) return 'unchanged';
    if (answer !== 'going' && current === answer) return 'unchanged';
    this.remove(userId);
    if (answer === 'going') {
      if (this.hasSeat) {
        this.going.push(userId);
        return 'going';
      }
      this.joinWaitlist(userId, order);
      return 'waitlisted';
    }
    (answer === 'maybe' ? this.maybe : this.no).push(userId);
    return answer;
  }

  /** The member with the open offer takes the seat; false for anyone else or an offer that has passed. */
  claim(userId: string): boolean {
    if (this.offer?.userId !== userId) return false;
    this.offer = null;
    this.going.push(userId);
    return true;
  }

  /**
   * Offers a free seat to the first waitlisted member, until `expiresAt`; returns them, or undefined when there is
   * no free seat, nobody waiting, or an offer already open.
   */
  offerNext(expiresAt: number): Offer | undefined {
    if (this.offer || this.waitlist.length === 0 || !this.hasSeat) return undefined;
    const userId = this.waitlist.shift()!;
    this.waitlistOrder.shift();
    this.offer = { userId, expiresAt };
    return this.offer;
  }

  /** An unclaimed offer at `now`: the member goes back to Maybe (they asked to come, but did not claim). */
  expireOffer(now: number): string | undefined {
    if (!this.offer || this.offer.expiresAt > now) return undefined;
    const { userId } = this.offer;
    this.offer = null;
    this.maybe.push(userId);
    return userId;
  }

  get openOffer(): Offer | null {
    return this.offer;
  }

  /**
   * A new capacity. Lowering it below the Going count moves the latest to join back to the front of the waitlist
   * (they keep their place ahead of those who never had a seat); returns who moved.
   */
  setCapacity(capacity: number | null): string[] {
    this.capacity = capacity;
    if (capacity === null || this.going.length <= capacity) return [];
    const moved = this.going.splice(capacity);
    this.waitlist.unshift(...moved);
    this.waitlistOrder.unshift(...moved.map(() => ''));
    return moved;
  }

  /** Everyone who should hear about the event: Going, and Maybe when asked. */
  attendees(includeMaybe: boolean): string[] {
    return includeMaybe ? [...this.going, ...this.maybe] : [...this.going];
  }

  remove(userId: string): void {
    const without = (list: string[]) => list.filter((id) => id !== userId);
    this.going = without(this.going);
    this.maybe = without(this.maybe);
    this.no = without(this.no);
    const place = this.waitlist.indexOf(userId);
    if (place >= 0) {
      this.waitlist.splice(place, 1);
      this.waitlistOrder.splice(place, 1);
    }
    if (this.offer?.userId === userId) this.offer = null;
  }

  /**
   * Into the waitlist at the place its click gives it: behind every earlier click, so answers that reach the event
   * out of order still queue in the order members clicked. An empty key (no click) goes to the end.
   */
  private joinWaitlist(userId: string, order: string): void {
    let place = this.waitlist.length;
    if (order) while (place > 0 && isLater(this.waitlistOrder[place - 1]!, order)) place--;
    this.waitlist.splice(place, 0, userId);
    this.waitlistOrder.splice(place, 0, order);
  }
}

/** Snowflakes compare as numbers: a longer one is later; the same length compares as text. */
function isLater(a: string, b: string): boolean {
  if (!a) return false;
  return a.length !== b.length ? a.length > b.length : a > b;
}
